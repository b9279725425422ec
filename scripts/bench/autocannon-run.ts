// autocannon against a local server, as the HTTP benchmark and the load test run it: POST /v1/predict with
// three-year histories that differ (nothing could be answered from a cache), or any other request. The
// histories are in occ1990dd codes, the default model's (nlsy79).
import autocannon from "autocannon";
import type { LoadStats } from "./report.ts";

/** occ1990dd codes: managers, clerks, sales, service, crafts, operatives, labourers. */
const CODES = ["4", "7", "22", "95", "178", "243", "276", "313", "337", "405", "628", "804"];
const BODIES = Array.from({ length: 64 }, (_, i) =>
  JSON.stringify({
    history: [{ year: 1982 + (i % 8), occupation: CODES[i % 12] }, { year: 1990, occupation: CODES[(i * 5) % 12] }, { year: 1992, occupation: "243" }],
  }),
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
