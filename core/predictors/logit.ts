// Multinomial logit on hand-built features: p(y | x) = softmax(W^T x), W stored feature-major.
import type { LabelSet } from "../taxonomy.ts";
import { softmaxInPlace } from "../distribution.ts";
import { LogitFeatures } from "./logit-features.ts";
import type { Predictor, PredictionContext } from "./types.ts";

export interface LogitParams {
  kind: "logit";
  /** Feature count x label count weights, row-major by feature. */
  weights: number[];
}

export function logitPredictor(params: LogitParams, labels: LabelSet): Predictor {
  const features = new LogitFeatures(labels);
  const k = labels.size;
  if (params.weights.length !== features.size * k)
    throw new Error(`logit weights: ${params.weights.length} values, expected ${features.size} x ${k}`);
  const w = Float64Array.from(params.weights);
  return {
    name: "logit",
    predict(ctx: PredictionContext): Float64Array {
      const x = features.of(ctx);
      const scores = new Float64Array(k);
      for (let j = 0; j < x.index.length; j++) {
        const row = x.index[j]! * k;
        const v = x.value[j]!;
        for (let i = 0; i < k; i++) scores[i]! += v * w[row + i]!;
      }
      return softmaxInPlace(scores) as Float64Array;
    },
  };
}
