// Frequency baseline: the same distribution for everyone, the smoothed share of each next state.
import type { Predictor } from "./types.ts";

export interface FrequencyParams {
  kind: "frequency";
  /** Probability of each label (label set order), already smoothed. */
  probs: number[];
}

export function frequencyPredictor(params: FrequencyParams): Predictor {
  const probs = Float64Array.from(params.probs);
  return { name: "frequency", predict: () => probs.slice() };
}
