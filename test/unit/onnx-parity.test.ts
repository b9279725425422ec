// The exported models give the same answers in PyTorch (reference outputs written at export), in
// onnxruntime-node (the origin, the evaluation) and in onnxruntime-web's wasm build (the edge Worker).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelManifest } from "../../core/model-artifact.ts";

// Every shipped model folder with language models (both small-model input forms: career steps, resume tokens).
const MODELS_DIR = new URL("../../model", import.meta.url).pathname;
const MODEL_DIRS = process.env.PARITY_MODEL_DIR
  ? [process.env.PARITY_MODEL_DIR]
  : readdirSync(MODELS_DIR)
      .map((name) => path.join(MODELS_DIR, name))
      .filter((dir) => existsSync(path.join(dir, "manifest.json")) && JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")).language_models);

type Runtime = typeof ortNode | typeof ortWeb;
const RUNTIMES: [string, Runtime][] = [
  ["onnxruntime-node", ortNode],
  ["onnxruntime-web (wasm)", ortWeb],
];
const int64 = (rt: Runtime, values: number[], dims: number[]) => new rt.Tensor("int64", BigInt64Array.from(values, BigInt), dims);

interface SmallReference {
  /** Career input: one question's steps and its distribution. */
  states?: number[];
  years?: number[];
  education?: number[];
  next_years?: number[];
  person?: number[];
  /** Token input: the resume's ids, the year lines' positions and a distribution at each. */
  input_ids?: number[];
  positions?: number[];
  probs: number[] | number[][];
}

/** The small model's inputs for a reference example, and the distributions (rows) it must give. */
function smallCase(rt: Runtime, ex: SmallReference): { feeds: Record<string, InstanceType<Runtime["Tensor"]>>; rows: number[][] } {
  if (ex.states) {
    const T = ex.states.length;
    const steps = (v: number[] | undefined) => int64(rt, v!, [1, T]);
    return {
      feeds: { states: steps(ex.states), years: steps(ex.years), education: steps(ex.education), next_years: steps(ex.next_years), person: int64(rt, ex.person!, [1, 4]) },
      rows: [ex.probs as number[]],
    };
  }
  return {
    feeds: { input_ids: int64(rt, ex.input_ids!, [1, ex.input_ids!.length]), positions: int64(rt, ex.positions!, [1, ex.positions!.length]) },
    rows: ex.probs as number[][],
  };
}

function top5(values: ArrayLike<number>): number[] {
  return Array.from(values, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, 5)
    .map(([, i]) => i);
}

beforeAll(() => {
  ortWeb.env.wasm.numThreads = 1; // as in the Worker
});

describe.each(MODEL_DIRS)("ONNX parity (%s)", (dir) => {
  const read = (name: string) => readFileSync(path.join(dir, name));
  const manifest: ModelManifest = JSON.parse(read("manifest.json").toString());

  it.each(RUNTIMES)("small model: %s matches PyTorch within 1e-4 with identical top-5", async (runtime, rt) => {
    const session = await rt.InferenceSession.create(new Uint8Array(read(manifest.language_models!.small.file)));
    const { examples } = JSON.parse(read("small-reference.json").toString());
    expect(examples.length).toBeGreaterThan(0);
    let maxDiff = 0;
    for (const ex of examples as SmallReference[]) {
      const { feeds, rows } = smallCase(rt, ex);
      const probs = (await session.run(feeds)).probs!.data as Float32Array;
      const k = rows[0]!.length;
      rows.forEach((ref, p) => {
        const row = probs.subarray(p * k, (p + 1) * k);
        ref.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - row[i]!))));
        expect(top5(row)).toEqual(top5(ref));
      });
    }
    console.info(`small model, ${runtime}: max abs difference from PyTorch ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it.each(RUNTIMES)("large model: %s matches PyTorch within 1e-3 (log-probabilities) with identical top-5", async (runtime, rt) => {
    const session = await rt.InferenceSession.create(new Uint8Array(read(manifest.language_models!.large.file)));
    const [candidates, ...examples] = JSON.parse(read("large-reference.json").toString()).examples;
    const k = candidates.candidate_ids.length, width = candidates.candidate_ids[0].length;
    expect(examples.length).toBeGreaterThan(0);
    let maxDiff = 0;
    for (const ex of examples as { prompt_ids: number[]; logp: number[] }[]) {
      const out = await session.run({
        prompt_ids: int64(rt, ex.prompt_ids, [1, ex.prompt_ids.length]),
        candidate_ids: int64(rt, candidates.candidate_ids.flat(), [k, width]),
        candidate_mask: new rt.Tensor("float32", Float32Array.from(candidates.candidate_mask.flat()), [k, width]),
      });
      const logp = out.logp!.data as Float32Array;
      ex.logp.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - logp[i]!))));
      expect(top5(logp)).toEqual(top5(ex.logp));
    }
    console.info(`large model, ${runtime}: max abs difference from PyTorch ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-3);
  });
});
