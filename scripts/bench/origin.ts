// The origin's large model: scoring every label of a question in one ONNX call (the prompt run once, all
// candidates batched over its cached keys and values) against the naive loop, one call per label that
// reruns the prompt each time. Same session, same question (the median test question), side by side.
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
  const { candidateIds, candidateMask, candidateWidth: width } = model.prompts;
  const promptTensor = new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]);

  const allAtOnce = async () => model.predictIds(ids);
  const perLabel = async () => {
    const logp = new Float64Array(labels.size);
    for (let k = 0; k < labels.size; k++) {
      const out = await session.run({
        prompt_ids: promptTensor,
        candidate_ids: new ort.Tensor("int64", candidateIds.slice(k * width, (k + 1) * width), [1, width]),
        candidate_mask: new ort.Tensor("float32", candidateMask.slice(k * width, (k + 1) * width), [1, width]),
      });
      logp[k] = (out.logp!.data as Float32Array)[0]!;
    }
    return logp;
  };
  // Same answer both ways (the naive loop is the reference the batched graph must equal).
  const a = await allAtOnce(), b = await perLabel();
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
  const batched = await time(allAtOnce, runs);
  const naive = await time(perLabel, Math.max(3, Math.ceil(runs / Math.max(1, labels.size / 13))));
  rows.push({ model: name, labels: labels.size, prompt_tokens: ids.length, all_labels_ms: batched, one_pass_per_label_ms: naive, speedup: naive / batched, max_prob_difference: maxDiff });
}

const result: OriginBench = { runs, rows };
console.log(args.json ? JSON.stringify(result, null, 1) : originMarkdown(result));
