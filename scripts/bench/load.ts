// Load and soak against `wrangler dev` on loopback, with autocannon:
//   throughput and latency of POST /v1/predict at concurrency 1, 16 and 64 (GET /health on the same server
//   as the floor); 200 concurrent clients, which must see 0 errors; a soak of --soak-requests predictions,
//   sampling workerd's resident memory and the runtime's wasm memory as it goes. The rate limiter is off
//   (RATE_LIMIT=off: every request comes from one address) and so is the response cache (every answer is
//   computed).
//   node scripts/bench/load.ts [--seconds 5] [--soak-requests 100000] [--json]
import autocannon from "autocannon";
import { parseArgs } from "node:util";
import { groupRssMiB } from "../lib/server-process.ts";
import { startWranglerDev, type WranglerDev } from "../lib/wrangler-dev.ts";

const { values: args } = parseArgs({ options: { seconds: { type: "string", default: "5" }, "soak-requests": { type: "string", default: "100000" }, json: { type: "boolean", default: false } } });
const log = (m: string) => console.error(m);

/** Resident memory of the workerd processes in the wrangler dev's process group, in MiB. */
const workerdRssMiB = (dev: WranglerDev): number => groupRssMiB(dev, "workerd");

// Three-year histories that differ, so that nothing could be served from a cache.
const bodies = Array.from({ length: 64 }, (_, i) =>
  JSON.stringify({ history: [{ year: 1970 + (i % 8), occupation: String(1 + (i % 12)) }, { year: 1980, occupation: String(1 + ((i * 5) % 12)) }, { year: 1982, occupation: "4" }] }),
);
let next = 0;
const predict = { method: "POST" as const, path: "/v1/predict", headers: { "content-type": "application/json" }, setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[next++ % bodies.length] }) };

async function run(dev: WranglerDev, options: Partial<autocannon.Options> & { connections: number }) {
  const result = await autocannon({ url: dev.base, ...options, requests: options.requests ?? [predict] } as autocannon.Options);
  return {
    connections: options.connections,
    requests: result.requests.total,
    rps: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const dev = await startWranglerDev({ args: ["--var", "RATE_LIMIT:off", "--var", "CACHE_TTL_SECONDS:0", "--var", "WARMUP_POLICY:wait", "--var", "ORIGIN_URL:"] });
const result: Record<string, unknown> = {};
try {
  await run(dev, { connections: 4, amount: 200 }); // loads the model
  const seconds = Number(args.seconds);
  const levels = [];
  for (const connections of [1, 16, 64]) {
    log(`concurrency ${connections}`);
    const p = await run(dev, { connections, duration: seconds });
    const h = await run(dev, { connections, duration: seconds, requests: [{ method: "GET", path: "/health" }] });
    levels.push({ connections, predict: p, health: h, p50_ratio: p.p50_ms / Math.max(h.p50_ms, 1e-9) });
  }
  result.levels = levels;
  log("200 concurrent clients");
  result.load200 = await run(dev, { connections: 200, duration: seconds * 2 });
  log(`soak: ${args["soak-requests"]} predictions`);
  const total = Number(args["soak-requests"]);
  const samples: { requests: number; rss_mib: number; wasm_mib: number | undefined }[] = [];
  const sample = async (requests: number) => {
    const health = (await (await fetch(`${dev.base}/health`)).json()) as { runtime?: { wasm_memory_mib: number } };
    samples.push({ requests, rss_mib: workerdRssMiB(dev), wasm_mib: health.runtime?.wasm_memory_mib });
  };
  await sample(0);
  const step = Math.max(1, Math.floor(total / 10));
  let errors = 0;
  for (let done = 0; done < total; done += step) {
    errors += (await run(dev, { connections: 16, amount: Math.min(step, total - done) })).errors;
    await sample(Math.min(done + step, total));
  }
  result.soak = { requests: total, errors, samples };
} finally {
  await dev.stop();
}

if (args.json) console.log(JSON.stringify(result, null, 2));
else {
  const levels = result.levels as { connections: number; predict: Awaited<ReturnType<typeof run>>; health: Awaited<ReturnType<typeof run>>; p50_ratio: number }[];
  console.log("\n### HTTP on wrangler dev (autocannon), POST /v1/predict against GET /health\n");
  console.log("| concurrency | predict req/s | p50 ms | p99 ms | health req/s | p50 ms | p99 ms | predict/health p50 | errors |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const l of levels)
    console.log(`| ${l.connections} | ${l.predict.rps.toFixed(0)} | ${l.predict.p50_ms} | ${l.predict.p99_ms} | ${l.health.rps.toFixed(0)} | ${l.health.p50_ms} | ${l.health.p99_ms} | ${l.p50_ratio.toFixed(2)} | ${l.predict.errors + l.health.errors} |`);
  const l200 = result.load200 as Awaited<ReturnType<typeof run>>;
  console.log(`\n200 concurrent clients: ${l200.requests} requests, ${l200.rps.toFixed(0)} req/s, p50 ${l200.p50_ms} ms, p99 ${l200.p99_ms} ms, ${l200.errors} errors`);
  const soak = result.soak as { requests: number; errors: number; samples: { requests: number; rss_mib: number; wasm_mib?: number }[] };
  console.log(`\n### Soak: ${soak.requests} predictions, ${soak.errors} errors\n\n| after requests | workerd RSS MiB | wasm memory MiB |\n|---:|---:|---:|`);
  for (const s of soak.samples) console.log(`| ${s.requests} | ${s.rss_mib.toFixed(1)} | ${s.wasm_mib ?? ""} |`);
}
