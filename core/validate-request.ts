// Validation of a prediction request, platform-free so the edge Worker and the origin refuse the same
// inputs with the same RFC 9457 problems. Two stages: the shape (the zod schema of the contract), then the
// request against the model that will answer it (codes in its label set, a coherent timeline).
import type * as z from "zod";
import {
  EdgePredictBatchRequestSchema,
  EdgePredictRequestSchema,
  MAX_BATCH,
  PredictBatchRequestSchema,
  PredictRequestSchema,
  type EdgePredictBatchRequest,
  type EdgePredictRequest,
  type PredictBatchRequest,
  type PredictRequest,
} from "./contract.ts";
import { invalidRequest, jsonPointer, ProblemError, type InvalidParam } from "./problem.ts";
import type { LabelSet } from "./taxonomy.ts";
import { equivalentsRefusal } from "./titles/equivalents.ts";

/** One InvalidParam per offending field; an unknown key is reported at its own pointer. */
export function zodIssuesToParams(issues: readonly z.core.$ZodIssue[]): InvalidParam[] {
  const params: InvalidParam[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) params.push({ pointer: jsonPointer([...issue.path, key]), detail: `unknown field "${key}"` });
    } else {
      params.push({ pointer: jsonPointer(issue.path), detail: issue.message });
    }
  }
  return params;
}

/** The body as the schema reads it (defaults applied), or a ProblemError 422 listing every offending field. */
export function parseWith<T>(schema: z.ZodType<T>, body: unknown, detail?: (errors: InvalidParam[]) => string | undefined): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors = zodIssuesToParams(result.error.issues);
  throw new ProblemError(invalidRequest(errors, detail?.(errors)));
}

/** A batch of the wrong size says how many it may hold. */
const batchDetail = (errors: InvalidParam[]) => (errors.some((e) => e.pointer === "/requests") ? `${errors[0]!.detail} (a batch holds 1 to ${MAX_BATCH} requests)` : undefined);

/** Stage 1: the parsed JSON body against the contract's request schema (defaults applied). */
export const parsePredictRequest = (body: unknown): PredictRequest => parseWith(PredictRequestSchema, body);
/** Stage 1 at the edge: history entries may also be titles or codes of other systems. */
export const parseEdgePredictRequest = (body: unknown): EdgePredictRequest => parseWith(EdgePredictRequestSchema, body);
/** Stage 1 of a batch, at the origin and at the edge: every error at once, pointing into /requests/i. */
export const parsePredictBatchRequest = (body: unknown): PredictBatchRequest => parseWith(PredictBatchRequestSchema, body, batchDetail);
export const parseEdgePredictBatchRequest = (body: unknown): EdgePredictBatchRequest => parseWith(EdgePredictBatchRequestSchema, body, batchDetail);

/**
 * Stage 2: a well-formed request against the model's label set and the calendar. Reports every problem at
 * once: unknown occupation codes, years that do not strictly increase or lie after next year, a next_year
 * not after the last observed year, a birth year not before the first observed year, equivalents asked of a
 * model whose labels no crosswalk reaches.
 */
export function validateAgainstModel(request: PredictRequest, labels: LabelSet, currentYear: number): InvalidParam[] {
  const errors: InvalidParam[] = [];
  const { history } = request;
  const latestAllowed = currentYear + 1;
  history.forEach((entry, i) => {
    if (!labels.has(entry.occupation))
      errors.push({
        pointer: `/history/${i}/occupation`,
        detail: `unknown occupation code ${JSON.stringify(entry.occupation)} for taxonomy ${labels.taxonomy}`,
      });
    const previous = history[i - 1];
    if (previous && entry.year <= previous.year)
      errors.push({ pointer: `/history/${i}/year`, detail: `years must strictly increase: ${entry.year} follows ${previous.year}` });
    if (entry.year > latestAllowed)
      errors.push({ pointer: `/history/${i}/year`, detail: `year ${entry.year} is after ${latestAllowed}` });
  });
  const last = history[history.length - 1]!;
  if (request.next_year !== undefined && request.next_year <= last.year)
    errors.push({ pointer: "/next_year", detail: `next_year ${request.next_year} must be after the last history year ${last.year}` });
  const birthYear = request.person?.birth_year;
  if (birthYear !== undefined && birthYear >= history[0]!.year)
    errors.push({ pointer: "/person/birth_year", detail: `birth_year ${birthYear} must be before the first history year ${history[0]!.year}` });
  // Equivalents exist only where the crosswalks reach the model's labels (a built-in taxonomy).
  const refused = request.equivalents === undefined ? undefined : equivalentsRefusal(labels.taxonomy, request.equivalents);
  if (refused !== undefined) errors.push({ pointer: "/equivalents", detail: refused });
  return errors;
}

