// Production behaviour of the edge API inside workerd: CORS, optional API keys, rate limiting, Server-Timing,
// the response-cache helper, and logs that never carry a career or a key. Settings that differ from
// wrangler.toml (keys on, an allow-list, the tiny test limiter) go through createApp(...).request with an
// env built here, so one workerd serves every case.
import { env as workerEnv } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../functions/app.ts";
import type { Env } from "../../functions/env.ts";
import { presentedKey } from "../../core/access-key.ts";
import { canonicalJson, cacheKeyFor, matchCached, storeCached, withCacheStatus } from "../../functions/predict/pipeline.ts";
import { edgeModelRegistry, type EdgeRegistry } from "../../functions/models/edge-model.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import { BASE, THREE_YEARS, expectProblem, worker } from "./helpers.ts";

const bindings = workerEnv as unknown as Env & { RATE_LIMITER_TEST: RateLimit };
const app = createApp(edgeModelRegistry(ALL_MODELS));
const KEYS = "k-alpha-0123456789, k-beta-9876543210";

/** A request to the app under an env derived from wrangler.toml's. */
const call = (path: string, init: RequestInit = {}, overrides: Partial<Env> = {}) =>
  app.request(BASE + path, init, { ...bindings, ...overrides });

const predictInit = (headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify({ history: THREE_YEARS }),
});

const randomIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID().slice(0, 8)}`;

/** Miniflare's limiter windows are aligned to the wall clock: start a burst well inside one. */
async function awayFromWindowEdge(periodSeconds: number): Promise<void> {
  const into = Date.now() % (periodSeconds * 1000);
  if (into > periodSeconds * 1000 - 5_000) await new Promise((r) => setTimeout(r, periodSeconds * 1000 - into + 200));
}

describe("CORS", () => {
  it("allows any origin under the default ALLOWED_ORIGINS and exposes the timing and rate-limit headers", async () => {
    const res = await worker.fetch(`${BASE}/health`, { headers: { origin: "https://widget.example.com" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const exposed = res.headers.get("access-control-expose-headers")!.toLowerCase().split(",");
    expect(exposed).toEqual(expect.arrayContaining(["server-timing", "retry-after", "x-cache"]));
  });

  it("answers a preflight for /v1/predict with the methods and headers the API takes", async () => {
    const res = await worker.fetch(`${BASE}/v1/predict`, {
      method: "OPTIONS",
      headers: { origin: "https://widget.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-api-key" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")!.split(",")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")!.split(",")).toEqual(expect.arrayContaining(["content-type", "authorization", "x-api-key"]));
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });

  it("echoes an allowed origin and omits Access-Control-Allow-Origin for any other", async () => {
    const allowList = { ALLOWED_ORIGINS: "https://jobs.example.com, https://hr.example.org/" };
    const allowed = await call("/health", { headers: { origin: "https://hr.example.org" } }, allowList);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://hr.example.org");
    expect(allowed.headers.get("vary")).toMatch(/origin/i);

    const other = await call("/health", { headers: { origin: "https://evil.example.net" } }, allowList);
    expect(other.status).toBe(200); // CORS is enforced by the browser: the answer merely lacks the grant
    expect(other.headers.get("access-control-allow-origin")).toBeNull();

    const preflight = await call(
      "/v1/predict",
      { method: "OPTIONS", headers: { origin: "https://evil.example.net", "access-control-request-method": "POST" } },
      allowList,
    );
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("preflights pass without a key when keys are configured, and refusals carry CORS headers", async () => {
    const preflight = await call(
      "/v1/predict",
      { method: "OPTIONS", headers: { origin: "https://jobs.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization" } },
      { API_KEYS: KEYS },
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");

    const refused = await call("/v1/predict", predictInit({ origin: "https://jobs.example.com" }), { API_KEYS: KEYS });
    await expectProblem(refused, 401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("API keys", () => {
  it("leaves the API open when API_KEYS is unset or empty", async () => {
    expect((await call("/v1/predict", predictInit())).status).toBe(200);
    expect((await call("/v1/predict", predictInit(), { API_KEYS: " , " })).status).toBe(200);
    expect((await worker.fetch(`${BASE}/v1/predict`, predictInit())).status).toBe(200);
  });

  it("401 problem+json with WWW-Authenticate: Bearer when the key is missing", async () => {
    const missing: Record<string, string>[] = [{}, { authorization: "Basic dXNlcjpwYXNz" }, { authorization: "Bearer " }, { "x-api-key": "  " }];
    for (const headers of missing) {
      const res = await call("/v1/predict", predictInit(headers), { API_KEYS: KEYS });
      const p = await expectProblem(res, 401);
      expect(p.type).toMatch(/missing-api-key$/);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    }
  });

  it("403 problem+json for a wrong key, including a prefix or extension of a right one", async () => {
    for (const key of ["nope", "k-alpha-012345678", "k-alpha-01234567890", "k-alpha-0123456789, k-beta-9876543210"]) {
      const p = await expectProblem(await call("/v1/predict", predictInit({ "x-api-key": key }), { API_KEYS: KEYS }), 403);
      expect(p.type).toMatch(/invalid-api-key$/);
    }
  });

  it("passes a right key as a Bearer token or in x-api-key", async () => {
    expect((await call("/v1/predict", predictInit({ authorization: "Bearer k-alpha-0123456789" }), { API_KEYS: KEYS })).status).toBe(200);
    expect((await call("/v1/predict", predictInit({ authorization: "bearer k-beta-9876543210" }), { API_KEYS: KEYS })).status).toBe(200);
    expect((await call("/v1/predict", predictInit({ "x-api-key": "k-beta-9876543210" }), { API_KEYS: KEYS })).status).toBe(200);
  });

  it("keeps /health open", async () => {
    expect((await call("/health", {}, { API_KEYS: KEYS })).status).toBe(200);
  });

  it("reads the key from either header, Authorization first", () => {
    expect(presentedKey(new Headers({ authorization: "Bearer abc", "x-api-key": "def" }), "x-api-key")).toBe("abc");
    expect(presentedKey(new Headers({ "x-api-key": " def " }), "x-api-key")).toBe("def");
    expect(presentedKey(new Headers({ authorization: "Token abc" }), "x-api-key")).toBeNull();
  });
});

describe("rate limiting", () => {
  it("429 problem+json with Retry-After once a client passes the limit; other clients are unaffected", async () => {
    const limited = { RATE_LIMITER: bindings.RATE_LIMITER_TEST }; // limit 3 per 60 s (vitest.config.ts)
    const ip = randomIp();
    await awayFromWindowEdge(60);
    for (let i = 0; i < 3; i++) expect((await call("/v1/predict", { headers: { "cf-connecting-ip": ip } }, limited)).status).toBe(405);
    const res = await call("/v1/predict", { headers: { "cf-connecting-ip": ip, origin: "https://jobs.example.com" } }, limited);
    const p = await expectProblem(res, 429);
    expect(p.type).toMatch(/rate-limited$/);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect((await call("/v1/predict", { headers: { "cf-connecting-ip": randomIp() } }, limited)).status).toBe(405);
    expect((await call("/health", { headers: { "cf-connecting-ip": ip } }, limited)).status).toBe(200);
  });

  it("limits per API key, keyed by the key's SHA-256 and never the key itself", async () => {
    const seen: string[] = [];
    const real = bindings.RATE_LIMITER_TEST;
    const recording: RateLimit = { limit: (o) => (seen.push(o.key), real.limit(o)) };
    const ip = randomIp(); // one address, two keys: each key has its own budget
    const key = (k: string) => ({ headers: { "x-api-key": k, "cf-connecting-ip": ip } });
    const overrides = { RATE_LIMITER: recording, API_KEYS: `${crypto.randomUUID()},${crypto.randomUUID()}` };
    const [a, b] = overrides.API_KEYS.split(",") as [string, string];
    await awayFromWindowEdge(60);
    for (let i = 0; i < 3; i++) expect((await call("/v1/predict", key(a), overrides)).status).toBe(405);
    await expectProblem(await call("/v1/predict", key(a), overrides), 429);
    expect((await call("/v1/predict", key(b), overrides)).status).toBe(405);
    expect(seen.every((s) => /^key:[0-9a-f]{64}$/.test(s))).toBe(true);
    expect(seen.join()).not.toContain(a);
    expect(new Set(seen).size).toBe(2);
  });

  it("does not limit without a binding, nor with the production limit in wrangler.toml", async () => {
    const ip = randomIp();
    for (let i = 0; i < 8; i++) {
      expect((await call("/v1/predict", { headers: { "cf-connecting-ip": ip } }, { RATE_LIMITER: undefined })).status).toBe(405);
      expect((await call("/v1/predict", { headers: { "cf-connecting-ip": ip } })).status).toBe(405);
    }
  });
});

describe("Server-Timing", () => {
  it("carries total on answers, refusals and preflights", async () => {
    const responses = [
      await worker.fetch(`${BASE}/health`),
      await worker.fetch(`${BASE}/v1/predict`, predictInit()),
      await worker.fetch(`${BASE}/nowhere`),
      await call("/v1/predict", predictInit(), { API_KEYS: KEYS }),
      await worker.fetch(`${BASE}/v1/predict`, { method: "OPTIONS", headers: { origin: "https://a.example", "access-control-request-method": "POST" } }),
    ];
    for (const res of responses) expect(res.headers.get("server-timing")).toMatch(/(^|,)\s*total;dur=\d+(\.\d+)?/);
  });
});

describe("response cache helper", () => {
  it("canonical JSON sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("gives the same key for the same content in any key order, another for other content", async () => {
    const one = await cacheKeyFor("/v1/predict", { model: "nlswork", request: { history: THREE_YEARS, top_k: 5 } });
    const two = await cacheKeyFor("v1/predict", { request: { top_k: 5, history: THREE_YEARS.map(({ occupation, year }) => ({ occupation, year })) }, model: "nlswork" });
    const other = await cacheKeyFor("/v1/predict", { model: "nlswork", request: { history: THREE_YEARS, top_k: 6 } });
    expect(one.url).toMatch(/^https:\/\/cache\.labor-llm-edge\.internal\/v1\/predict\/[0-9a-f]{64}$/);
    expect(one.method).toBe("GET");
    expect(two.url).toBe(one.url);
    expect(other.url).not.toBe(one.url);
  });

  it("stores a response and matches it back, marked HIT, without per-request headers", async () => {
    const key = await cacheKeyFor("/v1/predict", { nonce: crypto.randomUUID() });
    expect(await matchCached(key)).toBeUndefined();
    const body = JSON.stringify({ model: "nlswork", predictions: [{ code: "4", probability: 0.61 }] });
    const original = new Response(body, {
      headers: { "content-type": "application/json", "cache-control": "no-store", "access-control-allow-origin": "https://a.example", "server-timing": "total;dur=3" },
    });
    await storeCached(undefined, key, original, 300);
    expect(await original.text()).toBe(body); // the caller's response stays readable

    const hit = await matchCached(key);
    expect(hit).toBeDefined();
    expect(await hit!.text()).toBe(body);
    expect(hit!.headers.get("x-cache")).toBe("HIT");
    expect(hit!.headers.get("content-type")).toBe("application/json");
    expect(hit!.headers.get("cache-control")).toBe("no-store");
    expect(hit!.headers.get("access-control-allow-origin")).toBeNull();
    expect(hit!.headers.get("server-timing")).toBeNull();
    expect(withCacheStatus(new Response("x"), "MISS").headers.get("x-cache")).toBe("MISS");
  });

  it("does not store refusals", async () => {
    const key = await cacheKeyFor("/v1/predict", { nonce: crypto.randomUUID() });
    await storeCached(undefined, key, new Response("{}", { status: 422 }), 300);
    expect(await matchCached(key)).toBeUndefined();
  });
});

describe("logs", () => {
  const MARKER = "ZZ-SECRET-CAREER-7741";
  const captured: unknown[][] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    captured.length = 0;
  });
  function captureConsole(): void {
    for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void captured.push(args));
  }

  it("carry no history, body or key, on refusals and on unhandled errors", async () => {
    captureConsole();
    const history = [{ year: 1978, occupation: MARKER }];
    const bad = { method: "POST", headers: { "content-type": "application/json", "x-api-key": MARKER }, body: JSON.stringify({ history }) };
    await call("/v1/predict", bad, { API_KEYS: KEYS });
    await call("/v1/predict", bad);
    await call("/v1/predict", { ...bad, body: `{"history": "${MARKER}` });

    // A registry that fails with the career in its error message: the 500 handler logs only the name.
    const failing = new Proxy({}, { get: () => () => { throw new Error(`failed on ${MARKER}`); } }) as EdgeRegistry;
    const res = await createApp(failing).request(BASE + "/v1/predict", bad, { ...bindings, RATE_LIMITER: undefined });
    await expectProblem(res, 500);
    expect(captured.length).toBeGreaterThan(0); // the unhandled error was logged...
    expect(JSON.stringify(captured)).not.toContain(MARKER); // ...without the history or the key
  });
});
