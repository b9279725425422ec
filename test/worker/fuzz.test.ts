// Property-based abuse of the API inside workerd (fast-check): malformed, oversized, deeply nested, wrongly
// typed, unicode-laden and prototype-polluting requests, generated around the contract's shapes. Whatever
// comes in: no 5xx, every refusal is problem+json, nothing leaks into Object.prototype, and valid requests
// are still answered afterwards.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROBLEM_CONTENT_TYPE } from "../../core/problem.ts";
import { createApp } from "../../functions/app.ts";
import { createModelRegistry } from "../../functions/models/registry.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import { THREE_YEARS, postJson } from "./helpers.ts";

// The Worker's app over the bundled models, without the rate limiter (10,000 requests from one client
// would be limited, which is its job, not the property under test) and without an origin.
const app = createApp(createModelRegistry(ALL_MODELS));
const env = { DEFAULT_MODEL: "nlswork", WARMUP_POLICY: "wait", CACHE_TTL_SECONDS: "0" };
const RUNS = 10_000;

const year = fc.oneof(fc.integer({ min: 1890, max: 2110 }), fc.constant(1980), fc.double(), fc.string(), fc.constant(null));
const code = fc.oneof(fc.constantFrom("1", "3", "4", "13", "UNEMP", "NILF", "095", "0"), fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }), fc.integer());
const entry = fc.oneof(
  fc.record({ year, occupation: code }, { requiredKeys: [] }),
  fc.record({ year, title: fc.oneof(fc.string({ unit: "grapheme", maxLength: 250 }), fc.constant("Sr. Software Eng."), fc.constant("")) }, { requiredKeys: [] }),
  fc.record({ year, code, system: fc.oneof(fc.constantFrom("soc2018", "census2010", "isco08", "onet-soc"), fc.string()) }, { requiredKeys: [] }),
  fc.anything(),
);
const request = fc.record(
  {
    history: fc.oneof(fc.array(entry, { maxLength: 70 }), fc.anything()),
    person: fc.oneof(fc.record({ birth_year: year, sex: fc.constantFrom("female", "male", "x"), region: fc.string() }, { requiredKeys: [] }), fc.anything()),
    model: fc.oneof(fc.constantFrom("nlswork", "synthetic", "large", "nope", ""), fc.anything()),
    top_k: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.anything()),
    full_distribution: fc.anything(),
    next_year: year,
    allow_best_guess: fc.anything(),
  },
  { requiredKeys: [] },
);
const deep = fc.integer({ min: 1, max: 5000 }).map((n) => "[".repeat(n) + "]".repeat(n));
const polluting = fc.constantFrom(
  '{"__proto__": {"polluted": true}, "history": [{"year": 1980, "occupation": "3"}]}',
  '{"constructor": {"prototype": {"polluted": true}}, "history": [{"year": 1980, "occupation": "3"}]}',
  '{"history": [{"year": 1980, "occupation": "3", "__proto__": {"polluted": true}}]}',
  '{"requests": [{"__proto__": {"polluted": true}, "history": [{"year": 1980, "occupation": "3"}]}]}',
);
const body = fc.oneof(
  { weight: 6, arbitrary: request.map((r) => JSON.stringify(r)) },
  { weight: 2, arbitrary: fc.array(request, { maxLength: 40 }).map((requests) => JSON.stringify({ requests })) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: polluting },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 300_000 }).map((n) => JSON.stringify({ history: THREE_YEARS, model: "x".repeat(n) })) },
  { weight: 1, arbitrary: fc.json() },
);
const path = fc.constantFrom("/v1/predict", "/v1/predict", "/v1/predict/batch", "/v1/occupations/search?q=", "/v1/models", "/nowhere");
const contentType = fc.constantFrom("application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "");
const method = fc.constantFrom("POST", "POST", "POST", "GET", "PUT", "DELETE");

/** The body's start as a query value; a lone surrogate cannot be encoded: a malformed escape is sent instead. */
function queryText(b: string): string {
  try {
    return encodeURIComponent(b.slice(0, 120));
  } catch {
    return "%E0%A4%A" + b.length;
  }
}

describe("fuzzing the API", () => {
  it(`${RUNS} generated requests: no 5xx, every refusal problem+json`, async () => {
    await fc.assert(
      fc.asyncProperty(path, method, contentType, body, async (p, m, ct, b) => {
        const init: RequestInit = { method: m, headers: ct ? { "content-type": ct } : {} };
        if (m !== "GET") init.body = b;
        const target = p.endsWith("q=") ? p + queryText(b) : p;
        const res = await app.request(target, init, env);
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${res.status} for ${m} ${target}: ${text.slice(0, 300)}`);
        if (res.status >= 400 && res.headers.get("content-type") !== PROBLEM_CONTENT_TYPE) throw new Error(`${res.status} without problem+json for ${m} ${target}`);
        if (res.status >= 400) {
          const problem = JSON.parse(text) as { status: number; detail: string };
          if (problem.status !== res.status || typeof problem.detail !== "string") throw new Error(`malformed problem: ${text.slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS, seed: 20261126 },
    );
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  }, 300_000);

  it("the Worker still answers valid requests afterwards, through its real entry point", async () => {
    const res = await postJson({ history: THREE_YEARS, full_distribution: true });
    expect(res.status).toBe(200);
    const answer = (await app.request("/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ history: THREE_YEARS }) }, env)).status;
    expect(answer).toBe(200);
  });
});
