// End to end: `npm run dev` as a user runs it (the real `wrangler dev` with wrangler.toml as shipped: workerd
// on loopback, the shipped model bundled as in production, the default WARMUP_POLICY "baseline"), on a fresh
// local state folder (no response cache from an earlier run), then the process group is stopped.
//
// The small model loads lazily: the first prediction of the isolate is answered by the baseline predictor,
// marked degraded, while the small model loads in the background. The test waits for that load to finish
// through /health (the model's state turns "ready", or "failed" when small.onnx or its manifest are broken)
// and then requires the answer to come from the small model itself, not from the baseline or the cache.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthResponseSchema, PredictResponseSchema, type HealthResponse } from "../../core/contract.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";

let dev: WranglerDev | undefined;
let base = "";
const state = mkdtempSync(join(tmpdir(), "dev-test-state-"));

beforeAll(async () => {
  // Only where wrangler keeps its local state changes (a first run's empty cache), not how the Worker runs.
  dev = await startWranglerDev({ args: ["--persist-to", state] });
  base = dev.base;
});

afterAll(async () => {
  await dev?.stop();
  rmSync(state, { recursive: true, force: true });
});

// The shipped default model is nlsy79 (occ1990dd codes, NLSY79's interview calendar).
const DEFAULT_MODEL = "nlsy79";
const THREE_YEARS = {
  history: [
    { year: 1990, occupation: "243" },
    { year: 1991, occupation: "243" },
    { year: 1992, occupation: "276" },
  ],
  full_distribution: true,
};

async function health(): Promise<HealthResponse> {
  return HealthResponseSchema.parse(await (await fetch(`${base}/health`)).json());
}

const stateOf = (h: HealthResponse, name: string) => h.models.find((m) => m.name === name)?.state;

async function predict(): Promise<Response> {
  return fetch(`${base}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(THREE_YEARS) });
}

/** Polls /health until the model's load has ended: "ready" or "failed" (the event), or the deadline passes. */
async function loadEnded(name: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = stateOf(await health(), name);
    if (last === "ready" || last === "failed") return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

describe("npm run dev (wrangler dev on loopback)", () => {
  it("answers from the shipped small model once it has loaded (the baseline only while it loads)", async () => {
    const before = await health();
    expect(before).toMatchObject({ status: "ok", default_model: DEFAULT_MODEL });
    expect(stateOf(before, DEFAULT_MODEL), "nothing has asked the isolate for a prediction yet").toBe("not loaded");

    // The cold isolate's first question: the baseline answers now, marked degraded, and the load starts.
    const first = await predict();
    expect(first.status).toBe(200);
    const warming = PredictResponseSchema.parse(await first.json());
    expect(warming).toMatchObject({ model: DEFAULT_MODEL, served_by: "edge", degraded: true });
    expect(warming.engine).toMatch(/^baseline:/);
    expect(warming.reason).toMatch(/the small model is loading/);

    // The load's end, as /health reports it (a generous deadline: a busy machine only makes this slower).
    const loaded = await loadEnded(DEFAULT_MODEL, 60_000);
    expect(loaded, `the small model did not load:\n${dev!.output().slice(-3000)}`).toBe("ready");
    const ready = await health();
    expect(ready.status).toBe("ok");
    expect(ready.models.find((m) => m.name === DEFAULT_MODEL)?.load_ms?.session_ms).toBeGreaterThan(0);

    const res = await predict();
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache"), "computed now, not a cached answer").toBe("MISS");
    const body = PredictResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ model: DEFAULT_MODEL, served_by: "edge", engine: "small", next_year: 1993 });
    expect(body.degraded).toBeUndefined();
    expect(body.reason).toBeUndefined();
    const total = Object.values(body.distribution!).reduce((s, p) => s + p, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(Object.keys(body.distribution!)).toHaveLength(343); // 341 occupations, EDU and NOWORK
    // The small model's distribution, not the baseline's.
    expect(body.distribution).not.toEqual(warming.distribution);
  });

  it("refuses bad input over real HTTP with problem+json", async () => {
    const res = await fetch(`${base}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
