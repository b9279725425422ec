// The small edge model at run time: resume prompt -> token ids -> ONNX (onnxruntime-web in the Worker,
// onnxruntime-node in scripts and the origin; both speak onnxruntime-common) -> calibrated distribution
// over the labels. The model reads its label head at the prompt's last token, the ":" after the next year.
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-common";
import type { PredictionContext } from "./predictors/types.ts";
import { renderPrompt } from "./resume.ts";
import type { LabelSet } from "./taxonomy.ts";
import type { ResumeTokenizer } from "./tokenizer.ts";

export interface OrtRuntime {
  session: InferenceSession;
  Tensor: typeof OrtTensor;
}

export class ContextTooLongError extends Error {
  override name = "ContextTooLongError";
}

export class SmallModel {
  readonly labels: LabelSet;
  private readonly runtime: OrtRuntime;
  private readonly tokenizer: ResumeTokenizer;
  private readonly source: string;
  private readonly maxTokens: number;
  private readonly seen: ReadonlySet<number> | undefined;

  /** `seen`: the token ids of the training text, when the artifact lists them (for routing). */
  constructor(runtime: OrtRuntime, tokenizer: ResumeTokenizer, labels: LabelSet, source: string, maxTokens: number, seen?: ReadonlySet<number>) {
    this.runtime = runtime;
    this.tokenizer = tokenizer;
    this.labels = labels;
    this.source = source;
    this.maxTokens = maxTokens;
    this.seen = seen;
  }

  /** How many of the prompt's tokens never appeared in the training text (0 when that is not known). */
  unseenTokens(ids: readonly number[]): number {
    if (!this.seen) return 0;
    let n = 0;
    for (const id of ids) if (!this.seen.has(id)) n++;
    return n;
  }

  /** Token ids of the prompt for a question (exposed for routing: context length, unseen tokens). */
  promptIds(ctx: PredictionContext): number[] {
    return this.tokenizer.encode(renderPrompt(this.source, ctx, this.labels, ctx.nextYear));
  }

  predict(ctx: PredictionContext): Promise<Float64Array> {
    return this.predictIds(this.promptIds(ctx));
  }

  /** The distribution for a prompt already tokenised by promptIds. */
  async predictIds(ids: readonly number[]): Promise<Float64Array> {
    if (ids.length > this.maxTokens)
      throw new ContextTooLongError(`the history is ${ids.length} tokens; the small model reads at most ${this.maxTokens}`);
    const { Tensor, session } = this.runtime;
    const out = await session.run({
      input_ids: new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]),
      positions: new Tensor("int64", BigInt64Array.of(BigInt(ids.length - 1)), [1, 1]),
    });
    const probs = out.probs!.data as Float32Array;
    // float32 softmax output, renormalised in float64 so the distribution sums to 1 to double precision.
    const p = Float64Array.from(probs);
    let sum = 0;
    for (const v of p) sum += v;
    for (let i = 0; i < p.length; i++) p[i]! /= sum;
    return p;
  }
}
