// The large resume LM at run time (the origin, and the evaluation harness): P(label) is the probability of
// the label's continuation after the prompt, normalised over the label set. One ONNX call per question: the
// graph runs the prompt once and scores every candidate in one batch over its cached keys and values.
import { continuationText, renderPrompt, type Rendering } from "./resume.ts";
import type { PredictionContext } from "./predictors/types.ts";
import type { LabelSet } from "./taxonomy.ts";
import { PAD_TOKEN, type ResumeTokenizer } from "./tokenizer.ts";
import { ContextTooLongError, type OrtRuntime } from "./small-model.ts";

export interface LargeModelAnswer {
  probs: Float64Array;
  /** Probability the LM put on continuations that are not a label (1 - sum over labels). */
  outsideMass: number;
}

export class LargeModel {
  readonly labels: LabelSet;
  private readonly runtime: OrtRuntime;
  private readonly tokenizer: ResumeTokenizer;
  private readonly source: string;
  private readonly maxTokens: number;
  private readonly rendering: Rendering;
  private readonly candidateIds: BigInt64Array;
  private readonly candidateMask: Float32Array;
  private readonly candidateWidth: number;

  constructor(runtime: OrtRuntime, tokenizer: ResumeTokenizer, labels: LabelSet, source: string, maxTokens: number, rendering: Rendering = "titles") {
    this.runtime = runtime;
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

  async predict(ctx: PredictionContext): Promise<LargeModelAnswer> {
    const ids = this.tokenizer.encode(renderPrompt(this.source, ctx, this.labels, ctx.nextYear, this.rendering));
    if (ids.length + this.candidateWidth > this.maxTokens)
      throw new ContextTooLongError(`the history is ${ids.length} tokens; the large model reads at most ${this.maxTokens}`);
    const { Tensor, session } = this.runtime;
    const k = this.labels.size;
    const out = await session.run({
      prompt_ids: new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]),
      candidate_ids: new Tensor("int64", this.candidateIds, [k, this.candidateWidth]),
      candidate_mask: new Tensor("float32", this.candidateMask, [k, this.candidateWidth]),
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
