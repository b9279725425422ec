// From a validated request and a model's probability vector to the response of the prediction contract.
// Shared by the edge Worker and the origin so both answer in the same shape.
import type { PredictRequest, PredictResponse } from "./contract.ts";
import { asDistribution, changeProbability, exitLaborForceProbability, topK } from "./distribution.ts";
import type { PredictionContext } from "./predictors/index.ts";
import type { LabelSet } from "./taxonomy.ts";
import { equivalentsOf } from "./titles/shipped-crosswalks.ts";

/** When a model's panel observes people: its usual step, and the survey's interview years where it has a
 *  calendar of its own (NLSY79: yearly to 1994, then every second year). */
export interface ObservationCalendar {
  step_years: number;
  interview_years?: readonly number[];
}

/**
 * The year predicted: the request's next_year; else the model's next interview year after the last observed
 * one; past the calendar's end (or without one), the last year plus the calendar's final gap or usual step.
 */
export function nextYearOf(request: PredictRequest, calendar: ObservationCalendar): number {
  if (request.next_year !== undefined) return request.next_year;
  const last = request.history[request.history.length - 1]!.year;
  const years = calendar.interview_years ?? [];
  const next = years.find((y) => y > last);
  if (next !== undefined) return next;
  const finalGap = years.length >= 2 ? years[years.length - 1]! - years[years.length - 2]! : calendar.step_years;
  return last + finalGap;
}

export function predictionContext(request: PredictRequest, calendar: ObservationCalendar): PredictionContext {
  return { person: request.person ?? {}, history: request.history, nextYear: nextYearOf(request, calendar) };
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
  // Each predicted occupation's codes in the system asked for (a request of a model whose labels no crosswalk
  // reaches was refused by validateAgainstModel): crosswalk weights, the probabilities stay the labels'.
  const system = request.equivalents;
  if (system) for (const p of response.predictions) p.equivalents = equivalentsOf(p.code, { taxonomy: labels.taxonomy, system });
  if (request.full_distribution) response.distribution = asDistribution(labels, probs);
  const pExit = exitLaborForceProbability(labels, probs);
  if (pExit !== undefined) response.p_exit_labor_force = pExit;
  return response;
}
