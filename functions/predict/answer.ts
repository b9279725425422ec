// One validated question answered at the edge: the small model when the model folder ships one, it is
// loaded and the history fits its context; else the baseline predictor, said plainly in the answer (engine,
// degraded, reason). Shared by POST /v1/predict and POST /v1/predict/batch.
import type { PredictRequest, PredictResponse } from "../../core/contract.ts";
import type { LoadedModel } from "../../core/load-model.ts";
import { buildPredictResponse, predictionContext, roundMs } from "../../core/predict-response.ts";
import { ContextTooLongError } from "../../core/predictors/types.ts";
import type { EdgeModel } from "../models/edge-model.ts";

export interface EdgeAnswer {
  response: PredictResponse;
  /** The full distribution (label order), for the routing decision. */
  probs: ArrayLike<number>;
  /** The history was longer than the small model reads (the baseline answered). */
  pastContext: boolean;
  /** Tokens of the prompt the small model never saw in training (0 when unknown or not asked). */
  unseenTokens: number;
}

/**
 * `model` is the loaded edge model, or only its verified folder while the small model is still loading
 * (`warming` then says so and the baseline answers).
 */
export async function answerAtEdge(name: string, model: EdgeModel | LoadedModel, request: PredictRequest, warming?: string): Promise<EdgeAnswer> {
  const started = performance.now();
  const ctx = predictionContext(request, model.manifest);
  const small = "small" in model ? model.small : undefined;
  let probs: ArrayLike<number> | undefined;
  let engine = "small";
  let reason = warming;
  let pastContext = false;
  let unseenTokens = 0;
  if (small && !warming) {
    try {
      ({ probs, unseenTokens } = await small.answer(ctx));
    } catch (e) {
      if (!(e instanceof ContextTooLongError)) throw e;
      reason = `${e.message}: answered by the baseline predictor`;
      pastContext = true;
    }
  }
  if (!probs) {
    probs = model.predictor.predict(ctx);
    engine = `baseline:${model.predictor.name}`;
  }
  const response = buildPredictResponse({ model: name, servedBy: "edge", engine, labels: model.labels, request, nextYear: ctx.nextYear, probs });
  if (reason) Object.assign(response, { degraded: true, reason });
  response.timing = { model_ms: roundMs(performance.now() - started), total_ms: 0 };
  return { response, probs, pastContext, unseenTokens };
}
