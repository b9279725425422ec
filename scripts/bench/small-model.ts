// Warm latency of the small edge model (of the default model unless --model) on real questions (the median
// and the longest of the test people), in onnxruntime-web (wasm, one thread: the Worker's runtime) and in onnxruntime-node (the native
// reference, with one thread and with every core), side by side in one run; optionally for quantised
// copies of the file, with their size and how far their answers move.
//   node scripts/bench/small-model.ts [--model model/NAME] [--runs 2000] [--compare a.onnx ...] [--json]
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import type { LabelsFile, ModelManifest } from "../../core/model-artifact.ts";
import { CareerInput } from "../../core/small-model.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { limitPeople, loadDataset } from "../datasets.ts";
import { configuredDefaultModel } from "../edge-models.ts";
import { prepare } from "../eval/evaluate.ts";
import type { Example } from "../eval/examples.ts";
import { repoPath } from "../lib/paths.ts";
import { smallModelMarkdown, type SmallModelBench, type SmallModelRow } from "./report.ts";

const { values: args, positionals } = parseArgs({
  options: { model: { type: "string" }, runs: { type: "string", default: "2000" }, json: { type: "boolean", default: false }, compare: { type: "boolean", default: false } },
  allowPositionals: true,
});
const dir = args.model ?? repoPath("model", configuredDefaultModel() ?? "nlsy79");
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const lm = manifest.language_models!;
const small = path.join(dir, lm.small.file);
const labelsFile: LabelsFile = JSON.parse(readFileSync(path.join(dir, "labels.json"), "utf8"));
const labels = new LabelSet(labelsFile.taxonomy, labelsFile.labels);
// The inputs are built as at the edge; questions are ordered by their length in years, and the bench runs the
// median and the longest.
const input = new CareerInput(labels, lm.small.max_tokens);
const { examples } = prepare(limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people));
const sized = examples.test
  .map((e) => ({ ctx: e.ctx, size: e.ctx.history.length }))
  .filter((q) => q.size <= lm.small.max_tokens)
  .sort((a, b) => a.size - b.size);
const cases = { median: sized[Math.floor(sized.length / 2)]!, longest: sized[sized.length - 1]! };
const runs = Number(args.runs);
ortWeb.env.wasm.numThreads = 1;

type Runtime = typeof ortNode | typeof ortWeb;
async function measure(rt: Runtime, file: string, ctx: Example["ctx"], options: ortNode.InferenceSession.SessionOptions = {}) {
  const session = await rt.InferenceSession.create(new Uint8Array(readFileSync(file)), options as never);
  const { feeds } = input.feeds(ctx, rt.Tensor as never);
  let probs: Float32Array<ArrayBufferLike> = new Float32Array();
  for (let i = 0; i < 100; i++) probs = (await session.run(feeds as never)).probs!.data as Float32Array;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds as never);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50_ms: times[Math.floor(runs / 2)]!, p99_ms: times[Math.floor(runs * 0.99)]!, probs };
}

const rows: SmallModelRow[] = [];
const reference: Record<string, Float32Array> = {};
for (const file of [small, ...(args.compare ? positionals : [])])
  for (const [prompt, { ctx, size }] of Object.entries(cases)) {
    const web = await measure(ortWeb, file, ctx);
    const native1 = await measure(ortNode, file, ctx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const native = await measure(ortNode, file, ctx);
    reference[prompt] ??= web.probs;
    const drift = Math.max(...Array.from(web.probs, (p, i) => Math.abs(p - reference[prompt]![i]!)));
    rows.push({
      file: path.relative(process.cwd(), file),
      prompt: `${prompt} (${size} years)`,
      bytes: statSync(file).size,
      web_p50_ms: web.p50_ms,
      web_p99_ms: web.p99_ms,
      node1_p50_ms: native1.p50_ms,
      node1_p99_ms: native1.p99_ms,
      node_p50_ms: native.p50_ms,
      node_p99_ms: native.p99_ms,
      web_speed_vs_native: native1.p50_ms / web.p50_ms,
      max_prob_change: drift,
    });
  }
const result: SmallModelBench = { runs, rows };
console.log(args.json ? JSON.stringify(result, null, 1) : smallModelMarkdown(result));
