// The edge Worker measured in workerd (wrangler dev on loopback), side by side in one run:
//   warm:   answers inside the isolate (inputs + run + distribution + top-k), the median and the longest
//           test question of each shipped model, p50/p99 of block means (workerd's clock ticks in ms), and
//           whole requests through the app inside the isolate: POST /v1/predict against GET /health (the
//           default model's median question);
//   cold:   the first prediction of a fresh Worker (new workerd) with the default model, under WARMUP_POLICY wait and baseline,
//           with the load breakdown the Worker reports;
//   memory: the isolate's memory before the first request and with the model loaded (V8 inspector).
//   node scripts/bench/worker.ts [--cold-runs 3] [--blocks 40] [--block-size 50] [--json]
import { readFileSync, readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import type { PredictRequestInput } from "../../core/contract.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { limitPeople, loadDataset } from "../datasets.ts";
import { configuredDefaultModel } from "../edge-models.ts";
import { prepare } from "../eval/evaluate.ts";
import { repoPath } from "../lib/paths.ts";
import { openInspector } from "../lib/inspector.ts";
import { startWranglerDev } from "../lib/wrangler-dev.ts";
import { isolateMemory } from "./isolate-memory.ts";
import { workerMarkdown, type ColdRow, type WarmRow, type WorkerBench } from "./report.ts";

const { values: args } = parseArgs({
  options: {
    "cold-runs": { type: "string", default: "3" },
    blocks: { type: "string", default: "40" },
    "block-size": { type: "string", default: "50" },
    json: { type: "boolean", default: false },
  },
});
const log = (m: string) => console.error(m);

/** The median-length and the longest test question of a model, as API requests, with their length in years. */
type Question = PredictRequestInput & { size: string };
async function questions(name: string): Promise<{ median: Question; longest: Question }> {
  const manifest: ModelManifest = JSON.parse(readFileSync(repoPath("model", name, "manifest.json"), "utf8"));
  const lm = manifest.language_models!;
  const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
  const all = prepare(dataset)
    .examples.test.map((e) => ({ e, length: e.ctx.history.length }))
    .filter((q) => q.length <= lm.small.max_tokens)
    .sort((a, b) => a.length - b.length);
  const asRequest = ({ e, length }: (typeof all)[number]) => ({
    model: name, history: [...e.ctx.history], person: e.ctx.person, next_year: e.ctx.nextYear, size: `${length} years`,
  });
  return { median: asRequest(all[Math.floor(all.length / 2)]!), longest: asRequest(all.at(-1)!) };
}

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const models = readdirSync(repoPath("model")).filter((m) => {
  try {
    return Boolean(JSON.parse(readFileSync(repoPath("model", m, "manifest.json"), "utf8")).language_models);
  } catch {
    return false;
  }
});
/** The model a deployment answers with by default (wrangler.toml): the one cold start is measured on. */
const DEFAULT = configuredDefaultModel() ?? "nlsy79";
const asked = Object.fromEntries(await Promise.all(models.map(async (m) => [m, await questions(m)] as const)));

// ---- warm, inside the isolate ----
const warm: WarmRow[] = [];
let inIsolate: WorkerBench["in_isolate"] = { predict: { p50_ms: NaN, p99_ms: NaN }, health: { p50_ms: NaN, p99_ms: NaN } };
{
  log("warm: bench Worker on wrangler dev");
  const dev = await startWranglerDev({ args: ["--config", repoPath("scripts", "bench", "worker", "wrangler.toml")] });
  try {
    for (const model of models) {
      const cases = Object.entries(asked[model]!);
      const reply = await post(dev.base, "/", { model, requests: cases.map(([, { size: _, ...q }]) => q), blocks: Number(args.blocks), blockSize: Number(args["block-size"]) });
      if (!reply.ok) throw new Error(`bench Worker: ${reply.status} ${dev.output().slice(-3000)}`);
      const res = (await reply.json()) as {
        results: { engine: string; p50_ms: number; p99_ms: number }[];
      };
      cases.forEach(([label, q], i) => warm.push({ model, question: `${label} (${q.size})`, ...res.results[i]! }));
    }
    // The whole request inside the isolate, the default model's median question against /health.
    const { size: _, ...median } = (asked[DEFAULT] ?? Object.values(asked)[0]!).median;
    const reply = await post(dev.base, "/app", { body: JSON.stringify(median), blocks: Number(args.blocks), blockSize: Number(args["block-size"]) });
    if (!reply.ok) throw new Error(`bench Worker /app: ${reply.status} ${dev.output().slice(-3000)}`);
    inIsolate = (await reply.json()) as WorkerBench["in_isolate"];
  } finally {
    await dev.stop();
  }
}

// ---- cold start and memory on the real Worker ----
const cold: ColdRow[] = [];
for (const policy of ["wait", "baseline"]) {
  for (let run = 0; run < Number(args["cold-runs"]); run++) {
    log(`cold: WARMUP_POLICY ${policy}, run ${run + 1}`);
    const dev = await startWranglerDev({ args: ["--var", `WARMUP_POLICY:${policy}`, "--var", "CACHE_TTL_SECONDS:0"] });
    try {
      const inspector = await openInspector(dev, 60_000);
      const memoryBefore = await isolateMemory(dev, inspector);
      const question = (asked[DEFAULT] ?? Object.values(asked)[0]!).median;
      const { size: _, ...request } = question;
      const t0 = performance.now();
      const first = await post(dev.base, "/v1/predict", request);
      const body = (await first.json()) as { engine: string };
      const firstMs = performance.now() - t0;
      // The load finishes in the background under "baseline": wait for it before reading the breakdown.
      let health: { models: { name: string; state: string; load_ms?: Record<string, number> }[] } = { models: [] };
      for (let i = 0; i < 100; i++) {
        health = (await (await fetch(`${dev.base}/health`)).json()) as typeof health;
        if (health.models.every((m) => m.name !== question.model || m.state === "ready")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const memoryAfter = await isolateMemory(dev, inspector);
      inspector.close();
      cold.push({ policy, first_prediction_ms: firstMs, engine: body.engine, load_ms: health.models.find((m) => m.name === question.model)?.load_ms ?? {}, memory_before: memoryBefore, memory_after: memoryAfter });
    } finally {
      await dev.stop();
    }
  }
}

const result: WorkerBench = { default_model: DEFAULT, warm, in_isolate: inIsolate, cold };
console.log(args.json ? JSON.stringify(result, null, 1) : workerMarkdown(result));
