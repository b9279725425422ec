// Frequency baseline: share of each next state in training, add-half smoothed so no label gets zero.
import type { FrequencyParams } from "../../core/predictors/frequency.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import type { Example } from "../eval/examples.ts";

export const ADD_SMOOTHING = 0.5;

export function smoothedFrequencies(train: readonly Example[], labels: LabelSet): number[] {
  const counts = new Float64Array(labels.size).fill(ADD_SMOOTHING);
  for (const e of train) counts[e.target]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  return Array.from(counts, (c) => c / total);
}

export function trainFrequency(train: readonly Example[], labels: LabelSet): FrequencyParams {
  return { kind: "frequency", probs: smoothedFrequencies(train, labels) };
}
