// The large resume LM at run time (the origin, and the evaluation harness): P(label) is the probability of
// the label's continuation after the prompt, normalised over the label set. One ONNX call per question: the
// graph runs the prompt once and scores every candidate in one batch over its cached keys and values.
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

/**
 * The large model's questions as token ids, without a session: the origin checks a history against the
 * context on its HTTP thread before queueing the model run.
 */
export class LargePrompts {
  readonly labels: LabelSet;
  readonly maxTokens: number;
  /** Every label's continuation, padded to the longest: [labels, candidateWidth]. */
  readonly candidateIds: BigInt64Array;
  readonly candidateMask: Float32Array;
  readonly candidateWidth: number;
  private readonly tokenizer: ResumeTokenizer;
  private readonly source: string;
  private readonly rendering: Rendering;

  constructor(tokenizer: ResumeTokenizer, labels: LabelSet, source: string, maxTokens: number, rendering: Rendering = "titles") {
    this.tokenizer = tokenizer;
    this.labels = labels;
    this.source = source;
    this.maxTokens = maxTokens;
    this.rendering = rendering;
    const encoded = labels.codes.map((code) => tokenizer.encode(continuationText(labels, code, rendering)));
    const width = Math.max(...encoded.map((e) => e.length));
    const pad = BigInt(tokenizer.tokenId(PAD_TOKEN)!);
    this.candidateWidth = width;
    this.candidateIds = new BigInt64Array(encoded.length * width).fill(pad);
    this.candidateMask = new Float32Array(encoded.length * width);
    encoded.forEach((ids, k) =>
      ids.forEach((id, j) => {
        this.candidateIds[k * width + j] = BigInt(id);
        this.candidateMask[k * width + j] = 1;
      }),
    );
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

  constructor(runtime: OrtRuntime, tokenizer: ResumeTokenizer, labels: LabelSet, source: string, maxTokens: number, rendering: Rendering = "titles") {
    this.runtime = runtime;
    this.labels = labels;
    this.prompts = new LargePrompts(tokenizer, labels, source, maxTokens, rendering);
  }

  predict(ctx: PredictionContext): Promise<LargeModelAnswer> {
    return this.predictIds(this.prompts.promptIds(ctx));
  }

  /** The answer for a prompt already tokenised by `prompts.promptIds`. */
  async predictIds(ids: readonly number[]): Promise<LargeModelAnswer> {
    this.prompts.checkFits(ids.length);
    const { Tensor, session } = this.runtime;
    const { candidateIds, candidateMask, candidateWidth } = this.prompts;
    const k = this.labels.size;
    const out = await session.run({
      prompt_ids: new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]),
      candidate_ids: new Tensor("int64", candidateIds, [k, candidateWidth]),
      candidate_mask: new Tensor("float32", candidateMask, [k, candidateWidth]),
    });
    const logp = out.logp!.data as Float32Array;
    let max = -Infinity;
    for (const v of logp) if (v > max) max = v;
    const probs = new Float64Array(k);
    let sum = 0;
    for (let i = 0; i < k; i++) sum += probs[i] = Math.exp(logp[i]! - max);
    for (let i = 0; i < k; i++) probs[i]! /= sum;
    return { probs, outsideMass: Math.max(0, 1 - sum * Math.exp(max)) };
  }
}
