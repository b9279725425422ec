// From a validated request and a model's probability vector to the response of the prediction contract.
// Shared by the edge Worker and the origin so both answer in the same shape.
import type { PredictRequest, PredictResponse } from "./contract.ts";
import { asDistribution, changeProbability, exitLaborForceProbability, topK } from "./distribution.ts";
import type { PredictionContext } from "./predictors/index.ts";
import type { LabelSet } from "./taxonomy.ts";

/** The year predicted: the request's next_year, else the last observed year plus the model's usual step. */
export function nextYearOf(request: PredictRequest, stepYears: number): number {
  return request.next_year ?? request.history[request.history.length - 1]!.year + stepYears;
}

export function predictionContext(request: PredictRequest, stepYears: number): PredictionContext {
  return { person: request.person ?? {}, history: request.history, nextYear: nextYearOf(request, stepYears) };
}

/** Milliseconds to the microsecond (for `timing`): finer digits are noise. */
export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

export interface ResponseParts {
  model: string;
  servedBy: PredictResponse["served_by"];
  engine: string;
  labels: LabelSet;
  request: PredictRequest;
  nextYear: number;
  probs: ArrayLike<number>;
}

export function buildPredictResponse({ model, servedBy, engine, labels, request, nextYear, probs }: ResponseParts): PredictResponse {
  const last = request.history[request.history.length - 1]!;
  const response: PredictResponse = {
    model,
    served_by: servedBy,
    engine,
    next_year: nextYear,
    predictions: topK(labels, probs, request.top_k),
    p_change: changeProbability(labels, probs, last.occupation),
  };
  if (request.full_distribution) response.distribution = asDistribution(labels, probs);
  const pExit = exitLaborForceProbability(labels, probs);
  if (pExit !== undefined) response.p_exit_labor_force = pExit;
  return response;
}
