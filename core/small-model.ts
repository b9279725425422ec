// The small edge model at run time: a question -> the model's inputs -> ONNX (onnxruntime-web in the Worker,
// onnxruntime-node in scripts and the origin; both speak onnxruntime-common) -> calibrated distribution over
// the labels. The model reads one step per observed year (core/career-steps.ts, the manifest's `small.input`
// "career"), no text and no tokenizer.
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-common";
import { careerSteps } from "./career-steps.ts";
import { ContextTooLongError, type PredictionContext } from "./predictors/types.ts";
import type { LabelSet } from "./taxonomy.ts";

export interface OrtRuntime {
  session: InferenceSession;
  Tensor: typeof OrtTensor;
}

/** What of a question the small model never saw in training (for routing it to the large model). */
export interface Unseen {
  count: number;
  /** What was counted, e.g. "year(s) or occupation(s) of the question outside the small model's training data (1982-2000)". */
  what: string;
}

export interface SmallAnswer {
  probs: Float64Array;
  /** Undefined where the artifact does not say what the model saw in training. */
  unseen?: Unseen;
}

/** The training data of a career model: the years its histories span and the states they hold (label indices). */
export interface CareerSeen {
  years: [number, number];
  states: number[];
}

const int64 = (Tensor: typeof OrtTensor, values: readonly number[], dims: number[]) => new Tensor("int64", BigInt64Array.from(values, BigInt), dims);

/** The career input: states, years, education, next_years [1, T] and person [1, 4]. */
export class CareerInput {
  private readonly labels: LabelSet;
  private readonly maxSteps: number;
  private readonly seen: { years: [number, number]; states: ReadonlySet<number> } | undefined;

  /** `seen`: the training data's years and states, when the artifact lists them (for routing). */
  constructor(labels: LabelSet, maxSteps: number, seen?: CareerSeen) {
    this.labels = labels;
    this.maxSteps = maxSteps;
    this.seen = seen && { years: seen.years, states: new Set(seen.states) };
  }

  feeds(ctx: PredictionContext, Tensor: typeof OrtTensor) {
    const steps = careerSteps(ctx.person, ctx.history, this.labels, ctx.nextYear);
    const T = steps.states.length;
    if (T > this.maxSteps) throw new ContextTooLongError(`the history is ${T} years; the small model reads at most ${this.maxSteps}`);
    return {
      feeds: {
        states: int64(Tensor, steps.states, [1, T]),
        years: int64(Tensor, steps.years, [1, T]),
        education: int64(Tensor, steps.education, [1, T]),
        next_years: int64(Tensor, steps.next_years, [1, T]),
        person: int64(Tensor, steps.person, [1, 4]),
      },
      unseen: this.seen && this.unseen(steps.states, [...steps.years, ctx.nextYear]),
    };
  }

  /** Years outside the training data's span (the history's and the one asked) and states it never held. */
  private unseen(states: readonly number[], years: readonly number[]): Unseen {
    const [first, last] = this.seen!.years;
    let count = 0;
    for (const y of years) if (y < first || y > last) count++;
    for (const s of states) if (!this.seen!.states.has(s)) count++;
    return { count, what: `year(s) or occupation(s) of the question outside the small model's training data (${first}-${last})` };
  }
}

export class SmallModel {
  readonly labels: LabelSet;
  readonly input: CareerInput;
  private readonly runtime: OrtRuntime;

  constructor(runtime: OrtRuntime, labels: LabelSet, input: CareerInput) {
    this.runtime = runtime;
    this.labels = labels;
    this.input = input;
  }

  /** The distribution for a question; ContextTooLongError when its history is longer than the model reads. */
  async answer(ctx: PredictionContext): Promise<SmallAnswer> {
    const { Tensor, session } = this.runtime;
    const { feeds, unseen } = this.input.feeds(ctx, Tensor);
    const out = await session.run(feeds);
    // float32 softmax output, renormalised in float64 so the distribution sums to 1 to double precision.
    const probs = Float64Array.from(out.probs!.data as Float32Array);
    let sum = 0;
    for (const v of probs) sum += v;
    for (let i = 0; i < probs.length; i++) probs[i]! /= sum;
    return { probs, ...(unseen ? { unseen } : {}) };
  }

  async predict(ctx: PredictionContext): Promise<Float64Array> {
    return (await this.answer(ctx)).probs;
  }
}
