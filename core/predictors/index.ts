// One entry point from a model's stored parameters to a Predictor.
import type { LabelSet } from "../taxonomy.ts";
import { frequencyPredictor, type FrequencyParams } from "./frequency.ts";
import { logitPredictor, type LogitParams } from "./logit.ts";
import { ngramPredictor, type NgramParams } from "./ngram.ts";
import type { Predictor } from "./types.ts";

export type BaselineParams = FrequencyParams | NgramParams | LogitParams;
export type { Predictor, PredictionContext } from "./types.ts";

export function createPredictor(params: BaselineParams, labels: LabelSet): Predictor {
  switch (params.kind) {
    case "frequency":
      return frequencyPredictor(params);
    case "ngram":
      return ngramPredictor(params, labels);
    case "logit":
      return logitPredictor(params, labels);
  }
}
