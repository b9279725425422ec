// The large resume LM at run time (the origin, and the evaluation harness): P(label) is the probability of
// the label's continuation after the prompt, normalised over the label set. The graph runs the prompt once
// and scores a batch of candidates over its cached keys and values; the labels go in a few batches of
// similar length, since a batch is padded to its longest (nlsy79: titles of 2 to 22 tokens, 6.5 on average,
// so one batch would be 70% padding).
import { continuationText, renderPrompt, type Rendering } from "./resume.ts";
import type { PredictionContext } from "./predictors/types.ts";
import type { LabelSet } from "./taxonomy.ts";
import { PAD_TOKEN, type ResumeTokenizer } from "./tokenizer.ts";
import { ContextTooLongError } from "./predictors/types.ts";
import type { OrtRuntime } from "./small-model.ts";

export interface LargeModelAnswer {
  probs: Float64Array;
  /** Probability the LM put on continuations that are not a label (1 - sum over labels). */
  outsideMass: number;
}

/** Some labels' continuations, padded to the longest of them: ids and mask [labels.length, width]. */
export interface CandidateBatch {
  labels: number[];
  ids: BigInt64Array;
  mask: Float32Array;
  width: number;
}

/** What one more ONNX call costs, in padded candidate tokens (it reruns the prompt, about 100 tokens, and
 *  pays the call's overhead): the batches are chosen to minimise padded tokens + this per call. */
export const BATCH_CALL_COST = 128;

/**
 * The labels in batches of consecutive continuation lengths that minimise the padded tokens plus
 * `callCost` per batch (a dynamic programme over the sorted lengths; Infinity gives one batch of all).
 */
export function candidateBatches(encoded: readonly (readonly number[])[], pad: number, callCost = BATCH_CALL_COST): CandidateBatch[] {
  const order = encoded.map((_, k) => k).sort((a, b) => encoded[a]!.length - encoded[b]!.length);
  const len = (i: number) => encoded[order[i]!]!.length;
  const n = order.length;
  // best[i]: the least cost of batching the i shortest; cut[i]: where its last batch starts.
  const best = new Float64Array(n + 1).fill(Infinity);
  const cut = new Int32Array(n + 1);
  best[0] = 0;
  for (let i = 1; i <= n; i++)
    for (let j = 0; j < i; j++) {
      const cost = best[j]! + (i - j) * len(i - 1) + (j === 0 ? 0 : callCost);
      if (cost < best[i]!) [best[i], cut[i]] = [cost, j];
    }
  const batches: CandidateBatch[] = [];
  for (let i = n; i > 0; i = cut[i]!) {
    const labels = order.slice(cut[i]!, i);
    const width = len(i - 1);
    const ids = new BigInt64Array(labels.length * width).fill(BigInt(pad));
    const mask = new Float32Array(labels.length * width);
    labels.forEach((k, r) =>
      encoded[k]!.forEach((id, j) => {
        ids[r * width + j] = BigInt(id);
        mask[r * width + j] = 1;
      }),
    );
    batches.unshift({ labels, ids, mask, width });
  }
  return batches;
}

/**
 * The large model's questions as token ids, without a session: the origin checks a history against the
 * context on its HTTP thread before queueing the model run.
 */
export class LargePrompts {
  readonly labels: LabelSet;
  readonly maxTokens: number;
  /** Every label's continuation as token ids. */
  readonly continuations: number[][];
  /** The labels in batches of similar continuation length (candidateBatches). */
  readonly batches: CandidateBatch[];
  /** The longest continuation, in tokens. */
  readonly candidateWidth: number;
  private readonly tokenizer: ResumeTokenizer;
  private readonly source: string;
  private readonly rendering: Rendering;

  constructor(tokenizer: ResumeTokenizer, labels: LabelSet, source: string, maxTokens: number, rendering: Rendering = "titles", callCost = BATCH_CALL_COST) {
    this.tokenizer = tokenizer;
    this.labels = labels;
    this.source = source;
    this.maxTokens = maxTokens;
    this.rendering = rendering;
    this.continuations = labels.codes.map((code) => tokenizer.encode(continuationText(labels, code, rendering)));
    this.candidateWidth = Math.max(...this.continuations.map((e) => e.length));
    this.batches = candidateBatches(this.continuations, tokenizer.tokenId(PAD_TOKEN)!, callCost);
  }

  /** The prompt's token ids; ContextTooLongError when it and the longest label do not fit the context. */
  promptIds(ctx: PredictionContext): number[] {
    const ids = this.tokenizer.encode(renderPrompt(this.source, ctx, this.labels, ctx.nextYear, this.rendering));
    this.checkFits(ids.length);
    return ids;
  }

  checkFits(promptTokens: number): void {
    if (promptTokens + this.candidateWidth > this.maxTokens)
      throw new ContextTooLongError(
        `the history is ${promptTokens} tokens; the large model reads at most ${this.maxTokens - this.candidateWidth} before the next occupation`,
      );
  }
}

export class LargeModel {
  readonly labels: LabelSet;
  readonly prompts: LargePrompts;
  private readonly runtime: OrtRuntime;

  constructor(runtime: OrtRuntime, tokenizer: ResumeTokenizer, labels: LabelSet, source: string, maxTokens: number, rendering: Rendering = "titles", callCost = BATCH_CALL_COST) {
    this.runtime = runtime;
    this.labels = labels;
    this.prompts = new LargePrompts(tokenizer, labels, source, maxTokens, rendering, callCost);
  }

  predict(ctx: PredictionContext): Promise<LargeModelAnswer> {
    return this.predictIds(this.prompts.promptIds(ctx));
  }

  /** The answer for a prompt already tokenised by `prompts.promptIds`. */
  async predictIds(ids: readonly number[]): Promise<LargeModelAnswer> {
    this.prompts.checkFits(ids.length);
    const { Tensor, session } = this.runtime;
    const k = this.labels.size;
    const prompt = new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const logp = new Float64Array(k);
    for (const batch of this.prompts.batches) {
      const out = await session.run({
        prompt_ids: prompt,
        candidate_ids: new Tensor("int64", batch.ids, [batch.labels.length, batch.width]),
        candidate_mask: new Tensor("float32", batch.mask, [batch.labels.length, batch.width]),
      });
      const part = out.logp!.data as Float32Array;
      batch.labels.forEach((label, r) => (logp[label] = part[r]!));
    }
    let max = -Infinity;
    for (const v of logp) if (v > max) max = v;
    const probs = new Float64Array(k);
    let sum = 0;
    for (let i = 0; i < k; i++) sum += probs[i] = Math.exp(logp[i]! - max);
    for (let i = 0; i < k; i++) probs[i]! /= sum;
    return { probs, outsideMass: Math.max(0, 1 - sum * Math.exp(max)) };
  }
}
