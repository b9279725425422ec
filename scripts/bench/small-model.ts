// Warm latency of the small edge model on real prompts (the median and the longest question of the test
// people), in onnxruntime-web (wasm, one thread: the Worker's runtime) and in onnxruntime-node (the native
// reference, with one thread and with every core), side by side in one run; optionally for quantised
// copies of the file, with their size and how far their answers move.
//   node scripts/bench/small-model.ts [--model model/nlswork] [--runs 2000] [--compare a.onnx ...] [--json]
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import type { LabelsFile, ModelManifest } from "../../core/model-artifact.ts";
import { renderPrompt } from "../../core/resume.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { loadDataset } from "../datasets.ts";
import { prepare } from "../eval/evaluate.ts";
import { repoPath } from "../lib/paths.ts";
import { smallModelMarkdown, type SmallModelBench, type SmallModelRow } from "./report.ts";

const { values: args, positionals } = parseArgs({
  options: { model: { type: "string" }, runs: { type: "string", default: "2000" }, json: { type: "boolean", default: false }, compare: { type: "boolean", default: false } },
  allowPositionals: true,
});
const dir = args.model ?? repoPath("model", "nlswork");
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const small = path.join(dir, manifest.language_models!.small.file);
// Every question of the model's test people, as token ids; the bench runs the median and the longest.
const tokenizer = loadTokenizer(JSON.parse(readFileSync(path.join(dir, manifest.language_models!.tokenizer), "utf8")));
const labelsFile: LabelsFile = JSON.parse(readFileSync(path.join(dir, "labels.json"), "utf8"));
const labels = new LabelSet(labelsFile.taxonomy, labelsFile.labels);
const { examples } = prepare(await loadDataset({ dataset: manifest.data.dataset }));
const prompts = examples.test
  .map((e) => tokenizer.encode(renderPrompt(manifest.source, e.ctx, labels, e.ctx.nextYear)))
  .sort((a, b) => a.length - b.length);
const cases = { median: prompts[Math.floor(prompts.length / 2)]!, longest: prompts[prompts.length - 1]! };
const runs = Number(args.runs);
ortWeb.env.wasm.numThreads = 1;

type Runtime = typeof ortNode | typeof ortWeb;
async function measure(rt: Runtime, file: string, ids: number[], options: ortNode.InferenceSession.SessionOptions = {}) {
  const session = await rt.InferenceSession.create(new Uint8Array(readFileSync(file)), options as never);
  const feeds = {
    input_ids: new rt.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]),
    positions: new rt.Tensor("int64", BigInt64Array.of(BigInt(ids.length - 1)), [1, 1]),
  };
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
  for (const [prompt, ids] of Object.entries(cases)) {
    const web = await measure(ortWeb, file, ids);
    const native1 = await measure(ortNode, file, ids, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const native = await measure(ortNode, file, ids);
    reference[prompt] ??= web.probs;
    const drift = Math.max(...Array.from(web.probs, (p, i) => Math.abs(p - reference[prompt]![i]!)));
    rows.push({
      file: path.relative(process.cwd(), file),
      prompt: `${prompt} (${ids.length} tokens)`,
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
