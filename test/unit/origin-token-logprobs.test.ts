// The origin's OpenAI-style token log-probabilities, read from large.onnx by one-hot candidate masks, add up
// to what the large model says directly: a label's continuation tokens sum to the label's log-probability
// after the resume prompt (the same candidate run through onnxruntime-node), and normalised over the labels
// they give LargeModel's distribution.
import { beforeAll, describe, expect, it } from "vitest";
import { LargeModel } from "../../core/large-model.ts";
import { continuationText, renderPrompt } from "../../core/resume.ts";
import type { OrtRuntime } from "../../core/small-model.ts";
import { CHUNK, commonPrefixLength, continuationLogprobs, tokenLogprobs } from "../../origin/token-logprobs.ts";
import { labels, lm, manifest, runtime as loadRuntime, tokenizer } from "./nlswork-model.ts";

const ctx = {
  person: { birth_year: 1951, sex: "female", race: "white", education: "high school" } as const,
  history: [
    { year: 1970, occupation: "4" },
    { year: 1971, occupation: "4" },
    { year: 1973, occupation: "3" },
  ],
  nextYear: 1975,
};
const prompt = renderPrompt(manifest.source, ctx, labels, ctx.nextYear);
const promptIds = tokenizer.encode(prompt);
const sequences = labels.codes.map((code) => tokenizer.encode(prompt + continuationText(labels, code)));

let runtime: OrtRuntime;
/** log P(candidate | prompt) straight from the graph: one candidate, every token counted. */
async function directLogp(prompt: readonly number[], candidate: readonly number[]): Promise<number> {
  const out = await runtime.session.run({
    prompt_ids: new runtime.Tensor("int64", BigInt64Array.from(prompt, BigInt), [1, prompt.length]),
    candidate_ids: new runtime.Tensor("int64", BigInt64Array.from(candidate, BigInt), [1, candidate.length]),
    candidate_mask: new runtime.Tensor("float32", new Float32Array(candidate.length).fill(1), [1, candidate.length]),
  });
  return (out.logp!.data as Float32Array)[0]!;
}

beforeAll(async () => {
  runtime = await loadRuntime(lm.large.file);
});

describe("token log-probabilities from large.onnx", () => {
  it("the resume prompt's tokens are a prefix of every prompt + label continuation (the boundary the scores rely on)", () => {
    for (const seq of sequences) expect(seq.slice(0, promptIds.length)).toEqual(promptIds);
    expect(commonPrefixLength(sequences)).toBeGreaterThanOrEqual(promptIds.length);
    expect(commonPrefixLength([[1, 2, 3], [1, 2, 4], [1, 2]])).toBe(2);
    expect(commonPrefixLength([[5], [6]])).toBe(0);
  });

  it("each label's continuation tokens sum to the label's log-probability after the prompt, and normalise to LargeModel's distribution", async () => {
    const logprobs = await tokenLogprobs(runtime, sequences);
    const labelLogp = sequences.map((seq, k) => {
      expect(logprobs[k]!.length).toBe(seq.length);
      expect(logprobs[k]![0]).toBeNaN();
      return logprobs[k]!.slice(promptIds.length).reduce((a, b) => a + b, 0);
    });
    for (const [k, seq] of sequences.entries()) expect(labelLogp[k]).toBeCloseTo(await directLogp(promptIds, seq.slice(promptIds.length)), 4);

    const large = new LargeModel(runtime, tokenizer, labels, manifest.source, lm.large.max_tokens);
    const answer = await large.predict(ctx);
    const max = Math.max(...labelLogp);
    const weights = labelLogp.map((v) => Math.exp(v - max));
    const sum = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, k) => expect(w / sum).toBeCloseTo(answer.probs[k]!, 4));
    expect(1 - sum * Math.exp(max)).toBeCloseTo(answer.outsideMass, 4);
  });

  it("a whole prompt scored from its first token (several calls of CHUNK candidates) sums to the graph's own total", async () => {
    const seq = sequences[0]!;
    expect(seq.length).toBeGreaterThan(CHUNK + 1); // at least two calls
    const [alone] = await tokenLogprobs(runtime, [seq]);
    const total = alone!.slice(1).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(await directLogp(seq.slice(0, 1), seq.slice(1)), 4);
    // The same tokens scored over the shared prefix (the batched path) agree token by token.
    const [shared] = await tokenLogprobs(runtime, sequences);
    for (let i = 1; i < seq.length; i++) expect(shared![i]).toBeCloseTo(alone![i]!, 4);
    // A continuation of one token needs one candidate of one token.
    const last = await continuationLogprobs(runtime, seq, seq.length - 1);
    expect(last[0]).toBeCloseTo(alone![seq.length - 1]!, 4);
  });
});
