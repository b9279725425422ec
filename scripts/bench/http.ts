// HTTP latency and throughput of the Worker on `wrangler dev` (workerd on loopback), with autocannon at
// concurrency 1, 16 and 64: POST /v1/predict against GET /health on the same server, the floor that
// wrangler's local proxy and workerd put under every request.
//   node scripts/bench/http.ts [--seconds 5] [--json]
import { parseArgs } from "node:util";
import { startWranglerDev } from "../lib/wrangler-dev.ts";
import { HEALTH, loadRun } from "./autocannon-run.ts";
import { LOAD_TEST_VARS } from "./load-test-env.ts";
import { httpMarkdown, type HttpBench, type HttpLevel } from "./report.ts";

const { values: args } = parseArgs({ options: { seconds: { type: "string", default: "5" }, json: { type: "boolean", default: false } } });
const seconds = Number(args.seconds);

const dev = await startWranglerDev({ args: LOAD_TEST_VARS });
const levels: HttpLevel[] = [];
try {
  await loadRun(dev.base, { connections: 4, amount: 500 }); // loads the model, warms the isolate
  for (const connections of [1, 16, 64]) {
    console.error(`http: concurrency ${connections}`);
    const predict = await loadRun(dev.base, { connections, duration: seconds });
    const health = await loadRun(dev.base, { connections, duration: seconds, requests: [HEALTH] });
    levels.push({ connections, predict, health, p50_ratio: predict.p50_ms / Math.max(health.p50_ms, 1e-9), mean_ratio: predict.mean_ms / Math.max(health.mean_ms, 1e-9) });
  }
} finally {
  await dev.stop();
}
const result: HttpBench = { seconds, levels };
console.log(args.json ? JSON.stringify(result, null, 1) : httpMarkdown(result));
