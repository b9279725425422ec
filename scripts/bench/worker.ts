// The edge Worker measured in workerd (wrangler dev on loopback), side by side in one run:
//   warm:   answers inside the isolate (tokenise + run + distribution + top-k), the median and the longest
//           test question of each shipped model, p50/p99 of block means (workerd's clock ticks in ms);
//   cold:   the first prediction of a fresh Worker (new workerd), under WARMUP_POLICY wait and baseline,
//           with the load breakdown the Worker reports;
//   memory: workerd's resident memory before and after the model loads;
//   http:   sequential requests over loopback, /v1/predict against /health on the same server.
//   node scripts/bench/worker.ts [--cold-runs 3] [--blocks 40] [--block-size 50] [--http-runs 500] [--json]
import { readFileSync, readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import type { PredictRequestInput } from "../../core/contract.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { renderPrompt } from "../../core/resume.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { limitPeople, loadDataset } from "../datasets.ts";
import { prepare } from "../eval/evaluate.ts";
import { repoPath } from "../lib/paths.ts";
import { groupRssMiB } from "../lib/server-process.ts";
import { startWranglerDev, type WranglerDev } from "../lib/wrangler-dev.ts";

const { values: args } = parseArgs({
  options: {
    "cold-runs": { type: "string", default: "3" },
    blocks: { type: "string", default: "40" },
    "block-size": { type: "string", default: "50" },
    "http-runs": { type: "string", default: "500" },
    json: { type: "boolean", default: false },
  },
});
const log = (m: string) => console.error(m);
const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

/** The median-length and the longest test question of a model, as API requests. */
type Question = PredictRequestInput & { tokens: number };
async function questions(name: string): Promise<{ median: Question; longest: Question }> {
  const manifest: ModelManifest = JSON.parse(readFileSync(repoPath("model", name, "manifest.json"), "utf8"));
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(repoPath("model", name, manifest.language_models!.tokenizer), "utf8")));
  const labelsFile = JSON.parse(readFileSync(repoPath("model", name, "labels.json"), "utf8"));
  const labels = new LabelSet(labelsFile.taxonomy, labelsFile.labels);
  const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
  const all = prepare(dataset)
    .examples.test.map((e) => ({ e, tokens: tokenizer.encode(renderPrompt(manifest.source, e.ctx, labels, e.ctx.nextYear)).length }))
    .filter((q) => q.tokens <= manifest.language_models!.small.max_tokens)
    .sort((a, b) => a.tokens - b.tokens);
  const asRequest = ({ e, tokens }: (typeof all)[number]) => ({ model: name, history: [...e.ctx.history], person: e.ctx.person, next_year: e.ctx.nextYear, tokens });
  return { median: asRequest(all[Math.floor(all.length / 2)]!), longest: asRequest(all.at(-1)!) };
}

/** Resident memory of the workerd processes in the wrangler dev's process group, in MiB. */
const workerdRssMiB = (dev: WranglerDev): number => groupRssMiB(dev, "workerd");

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const models = readdirSync(repoPath("model")).filter((m) => {
  try {
    return Boolean(JSON.parse(readFileSync(repoPath("model", m, "manifest.json"), "utf8")).language_models);
  } catch {
    return false;
  }
});
const asked = Object.fromEntries(await Promise.all(models.map(async (m) => [m, await questions(m)] as const)));

// ---- warm, inside the isolate ----
const warm: { model: string; question: string; engine: string; p50_ms: number; p99_ms: number }[] = [];
{
  log("warm: bench Worker on wrangler dev");
  const dev = await startWranglerDev({ args: ["--config", repoPath("scripts", "bench", "worker", "wrangler.toml")] });
  try {
    for (const model of models) {
      const cases = Object.entries(asked[model]!);
      const reply = await post(dev.base, "/", { model, requests: cases.map(([, { tokens: _, ...q }]) => q), blocks: Number(args.blocks), blockSize: Number(args["block-size"]) });
      if (!reply.ok) throw new Error(`bench Worker: ${reply.status} ${dev.output().slice(-3000)}`);
      const res = (await reply.json()) as {
        results: { engine: string; p50_ms: number; p99_ms: number }[];
      };
      cases.forEach(([label, q], i) => warm.push({ model, question: `${label} (${q.tokens} tokens)`, ...res.results[i]! }));
    }
  } finally {
    await dev.stop();
  }
}

// ---- cold start, memory and HTTP on the real Worker ----
const cold: ({ policy: string; first_prediction_ms: number; engine: string; rss_before_mib: number; rss_after_mib: number } & Record<string, number | string | undefined>)[] = [];
let http: Record<string, number> = {};
for (const policy of ["wait", "baseline"]) {
  for (let run = 0; run < Number(args["cold-runs"]); run++) {
    log(`cold: WARMUP_POLICY ${policy}, run ${run + 1}`);
    const dev = await startWranglerDev({ args: ["--var", `WARMUP_POLICY:${policy}`, "--var", "CACHE_TTL_SECONDS:0"] });
    try {
      const rssBefore = workerdRssMiB(dev);
      const question = (asked["nlswork"] ?? Object.values(asked)[0]!).median;
      const t0 = performance.now();
      const { tokens: _, ...request } = question;
      const first = await post(dev.base, "/v1/predict", request);
      const body = (await first.json()) as { engine: string };
      const firstMs = performance.now() - t0;
      // The load finishes in the background under "baseline": wait for it before reading the breakdown.
      let health: { models: { name: string; state: string; load_ms?: Record<string, number> }[]; runtime?: { wasm_memory_mib: number } } = { models: [] };
      for (let i = 0; i < 100; i++) {
        health = (await (await fetch(`${dev.base}/health`)).json()) as typeof health;
        if (health.models.every((m) => m.name !== question.model || m.state === "ready")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      cold.push({ policy, first_prediction_ms: firstMs, engine: body.engine, ...health.models.find((m) => m.name === question.model)?.load_ms, rss_before_mib: rssBefore, rss_after_mib: workerdRssMiB(dev), wasm_memory_mib: health.runtime?.wasm_memory_mib });
      if (policy === "wait" && run === 0) {
        const time = async (f: () => Promise<Response>) => {
          const ts: number[] = [];
          for (let i = 0; i < Number(args["http-runs"]); i++) {
            const t = performance.now();
            await (await f()).arrayBuffer();
            ts.push(performance.now() - t);
          }
          return ts;
        };
        const predict = await time(() => post(dev.base, "/v1/predict", request));
        const health = await time(() => fetch(`${dev.base}/health`));
        http = { predict_p50_ms: percentile(predict, 0.5), predict_p99_ms: percentile(predict, 0.99), health_p50_ms: percentile(health, 0.5), health_p99_ms: percentile(health, 0.99), rss_after_http_mib: workerdRssMiB(dev) };
      }
    } finally {
      await dev.stop();
    }
  }
}

const result = { warm, cold, http };
if (args.json) console.log(JSON.stringify(result, null, 2));
else {
  const f = (x: number | undefined, d = 3) => (x === undefined ? "" : x.toFixed(d));
  console.log("\n### Warm prediction inside the Worker (tokenise + run + distribution + top-k), ms\n");
  console.log("| model | question | engine | p50 | p99 |\n|---|---|---|---:|---:|");
  for (const w of warm) console.log(`| ${w.model} | ${w.question} | ${w.engine} | ${f(w.p50_ms)} | ${f(w.p99_ms)} |`);
  console.log("\n### Cold first prediction in a fresh Worker (new workerd), ms; workerd resident memory, MiB\n");
  console.log("| WARMUP_POLICY | first prediction | engine | verify | tokenizer | session (incl. wasm instantiate) | wasm instantiate | first run | RSS before | RSS after | wasm memory |");
  console.log("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of cold)
    console.log(`| ${c.policy} | ${f(c.first_prediction_ms, 1)} | ${c.engine} | ${f(c.verify_ms as number, 0)} | ${f(c.tokenizer_ms as number, 0)} | ${f(c.session_ms as number, 0)} | ${f(c.wasm_instantiate_ms as number, 0)} | ${f(c.first_run_ms as number, 0)} | ${f(c.rss_before_mib, 1)} | ${f(c.rss_after_mib, 1)} | ${f(c.wasm_memory_mib as number, 1)} |`);
  console.log("\n### HTTP over loopback, sequential, ms\n");
  console.log(`| request | p50 | p99 |\n|---|---:|---:|\n| POST /v1/predict | ${f(http.predict_p50_ms, 2)} | ${f(http.predict_p99_ms, 2)} |\n| GET /health | ${f(http.health_p50_ms, 2)} | ${f(http.health_p99_ms, 2)} |`);
  console.log(`\nworkerd RSS after ${args["http-runs"]} predictions: ${f(http.rss_after_http_mib, 1)} MiB`);
}
