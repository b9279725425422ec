// autocannon against a local server, as the HTTP benchmark and the load test run it: POST /v1/predict with
// three-year histories that differ (nothing could be answered from a cache), or any other request.
import autocannon from "autocannon";
import type { LoadStats } from "./report.ts";

const BODIES = Array.from({ length: 64 }, (_, i) =>
  JSON.stringify({ history: [{ year: 1970 + (i % 8), occupation: String(1 + (i % 12)) }, { year: 1980, occupation: String(1 + ((i * 5) % 12)) }, { year: 1982, occupation: "4" }] }),
);
let next = 0;

export const PREDICT: autocannon.Request = {
  method: "POST",
  path: "/v1/predict",
  headers: { "content-type": "application/json" },
  setupRequest: (req: autocannon.Request) => ({ ...req, body: BODIES[next++ % BODIES.length] }),
};
export const HEALTH: autocannon.Request = { method: "GET", path: "/health" };

/** Runs autocannon for `duration` seconds or `amount` requests; errors count timeouts and non-2xx too. */
export async function loadRun(base: string, options: Partial<autocannon.Options> & { connections: number }): Promise<LoadStats> {
  const result = await autocannon({ url: base, ...options, requests: options.requests ?? [PREDICT] } as autocannon.Options);
  return {
    connections: options.connections,
    requests: result.requests.total,
    rps: result.requests.average,
    mean_ms: result.latency.mean,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
