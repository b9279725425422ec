// What every next-occupation model answers, whatever its kind: a full distribution over its label set.
import type { CareerYear, Person } from "../career.ts";

/** The question: a person, their history so far (non-empty, years increasing), and the year to predict. */
export interface PredictionContext {
  person: Person;
  history: readonly CareerYear[];
  nextYear: number;
}

export interface Predictor {
  readonly name: string;
  /** Probability of each label (index = label set order); sums to 1, no zero for a label that can occur. */
  predict(ctx: PredictionContext): Float64Array;
}

/** A language model cannot read a history this long (its context): the caller answers with the baseline, or
 *  (the edge) sends it to the origin. */
export class ContextTooLongError extends Error {
  override name = "ContextTooLongError";
}
