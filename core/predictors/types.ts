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
