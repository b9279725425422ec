// The origin's large model: scoring every label of a question as the model does (the prompt run once a call,
// the labels in a few batches of similar length over its cached keys and values) against one batch of every
// label padded to the longest, and against the naive loop, one call per label that reruns the prompt each
// time. Same session, same question (the median test question), side by side.
//   node scripts/bench/origin.ts [--runs 30] [--json]
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { LargeModel } from "../../core/large-model.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { limitPeople, loadDataset } from "../datasets.ts";
import { prepare } from "../eval/evaluate.ts";
import { repoPath } from "../lib/paths.ts";
import { nodeRuntime } from "../lib/ort-node.ts";
import { originMarkdown, type OriginBench, type OriginRow } from "./report.ts";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "30" }, json: { type: "boolean", default: false } } });
const runs = Number(args.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const rows: OriginRow[] = [];
for (const name of readdirSync(repoPath("model")).sort()) {
  const dir = repoPath("model", name);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  } catch {
    continue;
  }
  const lm = manifest.language_models;
  if (!lm) continue;
  const labelsFile = JSON.parse(readFileSync(path.join(dir, "labels.json"), "utf8"));
  const labels = new LabelSet(labelsFile.taxonomy, labelsFile.labels);
  const runtime = await nodeRuntime(path.join(dir, lm.large.file), { intraOpNumThreads: 2 });
  const { session } = runtime;
  const model = new LargeModel(runtime, loadTokenizer(JSON.parse(readFileSync(path.join(dir, lm.tokenizer), "utf8"))), labels, manifest.source, lm.large.max_tokens, lm.large.rendering);
  const examples = prepare(limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people)).examples.test;
  const prompts = examples
    .map((e) => {
      try {
        return model.prompts.promptIds(e.ctx);
      } catch {
        return undefined; // past the context
      }
    })
    .filter((ids): ids is number[] => ids !== undefined)
    .sort((a, b) => a.length - b.length);
  const ids = prompts[prompts.length >> 1]!;
  const oneBatchModel = new LargeModel(runtime, loadTokenizer(JSON.parse(readFileSync(path.join(dir, lm.tokenizer), "utf8"))), labels, manifest.source, lm.large.max_tokens, lm.large.rendering, Infinity);
  const promptTensor = new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]);

  const byLength = async () => model.predictIds(ids);
  const oneBatch = async () => oneBatchModel.predictIds(ids);
  const perLabel = async () => {
    const logp = new Float64Array(labels.size);
    for (let k = 0; k < labels.size; k++) {
      const continuation = model.prompts.continuations[k]!;
      const out = await session.run({
        prompt_ids: promptTensor,
        candidate_ids: new ort.Tensor("int64", BigInt64Array.from(continuation, BigInt), [1, continuation.length]),
        candidate_mask: new ort.Tensor("float32", new Float32Array(continuation.length).fill(1), [1, continuation.length]),
      });
      logp[k] = (out.logp!.data as Float32Array)[0]!;
    }
    return logp;
  };
  // Same answer both ways (the naive loop is the reference the batched graph must equal).
  const a = await byLength(), b = await perLabel();
  const max = Math.max(...b), z = b.reduce((s, v) => s + Math.exp(v - max), 0);
  const maxDiff = Math.max(...Array.from(a.probs, (p, k) => Math.abs(p - Math.exp(b[k]! - max) / z)));
  const time = async (f: () => Promise<unknown>, n: number) => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await f();
      ts.push(performance.now() - t0);
    }
    return median(ts);
  };
  // Interleaved, so that the machine's noise falls on both alike.
  const batched: number[] = [], padded: number[] = [];
  for (let i = 0; i < runs; i++) {
    batched.push(await time(byLength, 1));
    padded.push(await time(oneBatch, 1));
  }
  const naive = await time(perLabel, Math.max(3, Math.ceil(runs / Math.max(1, labels.size / 13))));
  rows.push({
    model: name, labels: labels.size, prompt_tokens: ids.length, batches: model.prompts.batches.length,
    all_labels_ms: median(batched), one_batch_ms: median(padded), one_pass_per_label_ms: naive,
    speedup: naive / median(batched), max_prob_difference: maxDiff,
  });
}

const result: OriginBench = { runs, rows };
console.log(args.json ? JSON.stringify(result, null, 1) : originMarkdown(result));
