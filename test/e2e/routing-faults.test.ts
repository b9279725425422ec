// The routing layer with real processes on loopback: `wrangler dev` (the Worker) in front of a running
// origin (`npm run origin`, the large model), with a proxy between them that injects one fault at a time.
// Every case asserts what the client got and how long it took: a request the edge can answer never fails
// because the origin did, and never waits past the deadline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PredictResponseSchema, type PredictResponse } from "../../core/contract.ts";
import { startFaultProxy, type Fault, type FaultProxy } from "../../scripts/lib/fault-proxy.ts";
import { startOrigin, type OriginProcess } from "../../scripts/lib/origin-process.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";

const TIMEOUT_MS = 500, DEADLINE_MS = 1200, COOLDOWN_MS = 1500;
const HISTORY = [
  { year: 1978, occupation: "3" },
  { year: 1980, occupation: "4" },
];

let origin: OriginProcess, proxy: FaultProxy, dev: WranglerDev;
const timings: Record<string, number> = {};

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startFaultProxy(origin.base);
  const vars = {
    ORIGIN_URL: proxy.base,
    ORIGIN_TIMEOUT_MS: TIMEOUT_MS,
    ORIGIN_DEADLINE_MS: DEADLINE_MS,
    ORIGIN_RETRY_JITTER_MS: 50,
    BREAKER_FAILURES: 3,
    BREAKER_COOLDOWN_MS: COOLDOWN_MS,
    WARMUP_POLICY: "wait",
    CACHE_TTL_SECONDS: 0,
  };
  dev = await startWranglerDev({ args: Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]) });
  await ask("large"); // loads the small model and warms the origin
}, 120_000);

afterAll(async () => {
  console.log("edge latency per case (ms):", JSON.stringify(timings));
  await dev?.stop();
  await proxy?.close();
  await origin?.stop();
});

async function ask(model?: string, label?: string): Promise<PredictResponse & { ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${dev.base}/v1/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ history: HISTORY, full_distribution: true, ...(model ? { model } : {}) }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  expect(res.status, text).toBe(200);
  if (label) timings[label] = Math.round(ms);
  return { ...PredictResponseSchema.parse(JSON.parse(text)), ms };
}

async function breakerClosed(): Promise<void> {
  proxy.set({ kind: "pass" });
  await new Promise((r) => setTimeout(r, COOLDOWN_MS + 100));
  const answer = await ask("large");
  expect(answer.served_by).toBe("origin");
}

describe("routing to the origin", () => {
  it('model "large" is answered by the origin, saying why', async () => {
    const answer = await ask("large", "origin ok");
    expect(answer).toMatchObject({ model: "nlswork", served_by: "origin", engine: "large", route: { reason: "requested" } });
    expect(answer.degraded).toBeUndefined();
    const total = Object.values(answer.distribution!).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
  });

  it("requests the edge answers do not touch the origin", async () => {
    proxy.resetHits();
    const answer = await ask(undefined, "edge only");
    expect(answer).toMatchObject({ served_by: "edge", engine: "small", route: { reason: "edge" } });
    expect(proxy.hits()).toBe(0);
  });

  const faults: [string, Fault, RegExp][] = [
    ["origin 500", { kind: "status", status: 500 }, /status: the origin answered 500/],
    ["origin 503", { kind: "status", status: 503 }, /status: the origin answered 503/],
    ["truncated body", { kind: "truncate" }, /network|malformed/],
    ["malformed JSON", { kind: "malformed" }, /malformed/],
    ["connection reset", { kind: "reset" }, /network/],
    ["origin slower than the timeout", { kind: "delay", ms: 5000 }, /timeout|deadline/],
  ];
  for (const [label, fault, reason] of faults) {
    it(`${label}: the edge's answer, marked degraded, within the deadline`, async () => {
      proxy.set(fault);
      const answer = await ask("large", label);
      proxy.set({ kind: "pass" });
      expect(answer).toMatchObject({ served_by: "edge", engine: "small", degraded: true, route: { reason: "requested" } });
      expect(answer.reason).toMatch(reason);
      expect(answer.ms).toBeLessThan(DEADLINE_MS + 800);
      // A success closes the count of consecutive failures before the next case.
      expect((await ask("large")).served_by).toBe("origin");
    });
  }

  it("after repeated failures the breaker opens: answers come at once, without calling the origin; it closes once the origin is back", async () => {
    proxy.set({ kind: "status", status: 500 });
    for (let i = 0; i < 3; i++) expect((await ask("large")).degraded).toBe(true);
    proxy.resetHits();
    const open = await ask("large", "breaker open");
    expect(open.reason).toMatch(/circuit is open/);
    expect(proxy.hits()).toBe(0);
    expect(open.ms).toBeLessThan(TIMEOUT_MS);
    await breakerClosed();
    const health = (await (await fetch(`${dev.base}/health`)).json()) as { origin: { breaker: string } };
    expect(health.origin.breaker).toBe("closed");
  });

  it("origin process killed: degraded answers; restarted: the breaker closes and the origin answers again", async () => {
    const port = Number(new URL(origin.base).port);
    await origin.stop();
    const down = await ask("large", "origin killed");
    expect(down).toMatchObject({ served_by: "edge", degraded: true });
    expect(down.ms).toBeLessThan(DEADLINE_MS + 800);
    expect((await ask()).degraded).toBeUndefined(); // the edge's own answers are unaffected
    origin = await startOrigin({ port });
    await breakerClosed();
  }, 120_000);
});
