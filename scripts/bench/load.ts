// Load and soak against `wrangler dev` on loopback, with autocannon: 200 concurrent clients, which must see
// 0 errors, then a soak of --soak-requests predictions, sampling the isolate's memory as it goes (JS heap,
// backing stores and wasm memory through the V8 inspector; workerd's resident memory beside it). Saves
// docs/bench/load.json and renders BENCHMARKS.md. Exits 1 on any error.
//   npm run load [-- --seconds 10] [--soak-requests 100000] [--json]
import { parseArgs } from "node:util";
import { openInspector } from "../lib/inspector.ts";
import { groupRssMiB } from "../lib/server-process.ts";
import { startWranglerDev, type WranglerDev } from "../lib/wrangler-dev.ts";
import { loadRun } from "./autocannon-run.ts";
import { LOAD_TEST_VARS } from "./load-test-env.ts";
import { isolateMemory } from "./isolate-memory.ts";
import { LOAD_FILE, loadMarkdown, machine, saveAndReport, type LoadResults, type SoakSample } from "./report.ts";

const { values: args } = parseArgs({ options: { seconds: { type: "string", default: "10" }, "soak-requests": { type: "string", default: "100000" }, json: { type: "boolean", default: false } } });
const log = (m: string) => console.error(m);
const workerdRssMiB = (dev: WranglerDev): number => groupRssMiB(dev, "workerd");

const dev = await startWranglerDev({ args: LOAD_TEST_VARS });
let result: LoadResults;
try {
  await loadRun(dev.base, { connections: 4, amount: 200 }); // loads the model
  log("load: 200 concurrent clients");
  const load200 = await loadRun(dev.base, { connections: 200, duration: Number(args.seconds) });
  const total = Number(args["soak-requests"]);
  log(`soak: ${total} predictions`);
  const inspector = await openInspector(dev, 60_000);
  const samples: SoakSample[] = [];
  const sample = async (requests: number) => samples.push({ requests, rss_mib: workerdRssMiB(dev), memory: await isolateMemory(dev, inspector) });
  await sample(0);
  const step = Math.max(1, Math.floor(total / 10));
  let errors = 0;
  for (let done = 0; done < total; done += step) {
    errors += (await loadRun(dev.base, { connections: 16, amount: Math.min(step, total - done) })).errors;
    await sample(Math.min(done + step, total));
  }
  inspector.close();
  result = { machine: machine(), load200, soak: { requests: total, errors, samples } };
} finally {
  await dev.stop();
}
saveAndReport(LOAD_FILE, result);
console.log(args.json ? JSON.stringify(result, null, 1) : loadMarkdown(result));
if (result.load200.errors || result.soak.errors) process.exit(1);
