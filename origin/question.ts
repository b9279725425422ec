// One question of the prediction contract on its way to the large model: the model it names, checked
// against that model's labels and calendar, and its prompt tokenised and checked against the context here
// on the HTTP thread, so a refusal never waits in the queue. Shared by /v1/predict and /v1/predict/batch.
import type { PredictRequest, PredictResponse } from "../core/contract.ts";
import { calibrateStayMove, stayLabel } from "../core/calibration.ts";
import { buildPredictResponse, predictionContext, roundMs } from "../core/predict-response.ts";
import { invalidRequest, ProblemError } from "../core/problem.ts";
import { ContextTooLongError } from "../core/predictors/types.ts";
import { validateAgainstModel } from "../core/validate-request.ts";
import type { ResultOf } from "./jobs.ts";
import type { OriginModel } from "./model-folder.ts";
import type { ServedModels } from "./served-models.ts";

export interface Question {
  model: OriginModel;
  request: PredictRequest;
  nextYear: number;
  ids: number[];
  /** The label of the last observed state (what the calibration calls staying). */
  stay: number;
}

/** The question; a ProblemError 422 with its field errors (pointers under `prefix`, e.g. "/requests/3"). */
export function prepareQuestion(models: ServedModels, request: PredictRequest, prefix = ""): Question {
  const model = models.resolve(request.model, `${prefix}/model`);
  const errors = validateAgainstModel(request, model.labels, new Date().getUTCFullYear()).map((e) => ({ ...e, pointer: prefix + e.pointer }));
  if (errors.length) throw new ProblemError(invalidRequest(errors));
  const ctx = predictionContext(request, model.manifest);
  try {
    return { model, request, nextYear: ctx.nextYear, ids: model.prompts.promptIds(ctx), stay: stayLabel(ctx, model.labels) };
  } catch (e) {
    if (!(e instanceof ContextTooLongError)) throw e;
    throw new ProblemError(invalidRequest([{ pointer: `${prefix}/history`, detail: `${e.message}: send fewer years (the most recent ones)` }]));
  }
}

export function answerOf(question: Question, result: ResultOf<"predict">, totalMs: number): PredictResponse {
  const { model, request, nextYear, stay } = question;
  const probs = model.calibration ? calibrateStayMove(result.probs, stay, model.calibration) : result.probs;
  const response = buildPredictResponse({ model: model.name, servedBy: "origin", engine: "large", labels: model.labels, request, nextYear, probs });
  response.outside_mass = result.outsideMass;
  response.timing = { model_ms: roundMs(result.modelMs), total_ms: roundMs(totalMs) };
  return response;
}
