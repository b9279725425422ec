// Per-token log-probabilities (what an OpenAI-style `echo` + `logprobs` answer reports) from the exported
// large.onnx, which only returns the summed log-probability of candidate continuations after one prompt:
//   logp[k] = log P(c_k0 | prompt) + sum_{j>=1} mask[k, j] * log P(c_kj | prompt, c_k<j)
// The mask weighs the sum only (attention is causal, so later tokens never change earlier ones). To read
// token j of a continuation on its own, a candidate is the continuation up to j with the mask set at j
// alone, and a "base" candidate (mask all zero) gives log P(c_0 | prompt); the difference is token j's
// log-probability. That subtracts two float32 numbers of a token's size, not two running sums of a whole
// prompt, so each value is good to about 1e-7.
//
// Cost: a continuation of r tokens needs r - 1 candidates of up to r tokens (about r^2 / 2 token positions),
// cut into calls of at most CHUNK candidates to bound memory. Prompts that share a token prefix (the K
// label prompts of one question share the resume) score that prefix once and then only their own tails
// over it, as a server with prefix caching would.
import type { OrtRuntime } from "../core/small-model.ts";

/** Candidates per ONNX call (the base candidate included). */
export const CHUNK = 32;

/**
 * log P(ids[i] | ids[<i]) for every i in [split, ids.length), in that order: the prompt is ids[0, split)
 * (split >= 1), run once per call.
 */
export async function continuationLogprobs(runtime: OrtRuntime, ids: readonly number[], split: number): Promise<Float64Array> {
  if (!(split >= 1 && split <= ids.length)) throw new RangeError(`split ${split} outside 1..${ids.length}`);
  const rest = ids.slice(split);
  const out = new Float64Array(rest.length);
  if (rest.length === 0) return out;
  const prompt = new runtime.Tensor("int64", BigInt64Array.from(ids.slice(0, split), BigInt), [1, split]);
  // Token 0 of the continuation comes out of every call (the base candidate); tokens [from, to) are one call.
  for (let from = 1, first = true; first || from < rest.length; from += CHUNK - 1, first = false) {
    const to = Math.min(rest.length, from + CHUNK - 1);
    const rows = 1 + Math.max(0, to - from);
    // Every candidate of a call is the same tokens [0, to): only the mask differs.
    const width = to;
    const candidateIds = new BigInt64Array(rows * width);
    const mask = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) candidateIds[r * width + j] = BigInt(rest[j]!);
    for (let j = from; j < to; j++) mask[(1 + j - from) * width + j] = 1;
    const result = await runtime.session.run({
      prompt_ids: prompt,
      candidate_ids: new runtime.Tensor("int64", candidateIds, [rows, width]),
      candidate_mask: new runtime.Tensor("float32", mask, [rows, width]),
    });
    const logp = result.logp!.data as Float32Array;
    out[0] = logp[0]!;
    for (let j = from; j < to; j++) out[j] = logp[1 + j - from]! - logp[0]!;
  }
  return out;
}

/** Length of the longest token prefix every sequence shares. */
export function commonPrefixLength(sequences: readonly (readonly number[])[]): number {
  const first = sequences[0] ?? [];
  let n = first.length;
  for (const s of sequences) {
    let i = 0;
    while (i < n && i < s.length && s[i] === first[i]) i++;
    n = i;
  }
  return n;
}

/**
 * Every token's log-probability for each (non-empty) sequence; index 0 is NaN, as the first token has no
 * context (OpenAI reports null there).
 */
export async function tokenLogprobs(runtime: OrtRuntime, sequences: readonly (readonly number[])[]): Promise<Float64Array[]> {
  if (sequences.some((s) => s.length === 0)) throw new RangeError("an empty sequence has no tokens to score");
  const shared = sequences.length > 1 ? commonPrefixLength(sequences) : 0;
  // The shared prefix's own tokens, scored once (worth it from two tokens on).
  const prefix = shared >= 2 ? await continuationLogprobs(runtime, sequences[0]!.slice(0, shared), 1) : undefined;
  const split = prefix ? shared : 1;
  const out: Float64Array[] = [];
  for (const ids of sequences) {
    const logprobs = new Float64Array(ids.length);
    logprobs[0] = NaN;
    if (prefix) logprobs.set(prefix, 1);
    logprobs.set(await continuationLogprobs(runtime, ids, split), split);
    out.push(logprobs);
  }
  return out;
}
