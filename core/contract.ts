// The prediction contract of POST /v1/predict, shared by the edge Worker, the origin and the tests.
// Schemas are defined once here; types are inferred from them.
import { z } from "zod";
import { EDUCATION_LEVELS, RACES, REGIONS, SEXES } from "./career.ts";
import { CODE_SYSTEMS } from "./titles/convert.ts";

export const MAX_HISTORY_YEARS = 60;
export const MAX_TOP_K = 50;
export const MIN_YEAR = 1900;
/** Most questions in one POST /v1/predict/batch. */
export const MAX_BATCH = 32;
export const MAX_YEAR = 2100;

export const HistoryEntrySchema = z.strictObject({
  year: z.int().min(MIN_YEAR).max(MAX_YEAR),
  occupation: z.string().min(1).max(32),
});

/**
 * What a caller may send for one year at the edge: a label code of the model (`occupation`), a free-text job
 * title (`title`), or a code of another system (`code` with `system`), exactly one of them. The edge turns
 * titles and codes into the model's codes (core/history-input.ts) before anything else sees the request.
 */
export const HistoryInputEntrySchema = z
  .strictObject({
    year: z.int().min(MIN_YEAR).max(MAX_YEAR),
    occupation: z.string().min(1).max(32).optional(),
    title: z.string().trim().min(1).max(200).optional(),
    code: z.string().trim().min(1).max(32).optional(),
    system: z.enum(CODE_SYSTEMS).optional(),
  })
  .superRefine((entry, ctx) => {
    const given = (["occupation", "title", "code"] as const).filter((k) => entry[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({ code: "custom", path: [], message: `give exactly one of occupation, title, or code with system (got ${given.length ? given.join(", ") : "none"})` });
    if (entry.code !== undefined && entry.system === undefined) ctx.addIssue({ code: "custom", path: ["system"], message: `code needs its system: one of ${CODE_SYSTEMS.join(", ")}` });
    if (entry.system !== undefined && entry.code === undefined) ctx.addIssue({ code: "custom", path: ["code"], message: "system is given without a code" });
  });

export const PersonSchema = z.strictObject({
  birth_year: z.int().min(MIN_YEAR).max(MAX_YEAR).optional(),
  sex: z.enum(SEXES).optional(),
  race: z.enum(RACES).optional(),
  education: z.enum(EDUCATION_LEVELS).optional(),
  region: z.enum(REGIONS).optional(),
});

export const PredictRequestSchema = z.strictObject({
  history: z.array(HistoryEntrySchema).min(1).max(MAX_HISTORY_YEARS),
  person: PersonSchema.optional(),
  /** Model name; the default model when absent; "large" for the origin's large model of the default model. */
  model: z.string().min(1).max(64).optional(),
  /** Year of the predicted step; defaults to the last year plus the model's usual step between observations. */
  next_year: z.int().min(MIN_YEAR).max(MAX_YEAR).optional(),
  top_k: z.int().min(1).max(MAX_TOP_K).default(5),
  full_distribution: z.boolean().default(false),
});

/** The edge's request: the contract above, with titles and other code systems allowed in the history. */
export const EdgePredictRequestSchema = PredictRequestSchema.extend({
  history: z.array(HistoryInputEntrySchema).min(1).max(MAX_HISTORY_YEARS),
  /** Take the most likely code of an ambiguous title instead of refusing it. */
  allow_best_guess: z.boolean().default(false),
});

/** How the edge read one history entry given as a title or a code. */
export const UnderstoodEntrySchema = z.object({
  /** Index of the entry in the request's history. */
  index: z.int(),
  given: z.union([z.object({ title: z.string() }), z.object({ code: z.string(), system: z.string() })]),
  code: z.string(),
  title: z.string(),
  confidence: z.number(),
  /** The next candidates, most likely first. */
  alternatives: z.array(z.object({ code: z.string(), title: z.string(), confidence: z.number() })),
});

export const PredictionSchema = z.object({
  code: z.string(),
  title: z.string(),
  probability: z.number(),
});

/** `model` value that asks for the origin's large model (of the default model's taxonomy). */
export const LARGE_MODEL_ALIAS = "large";

/**
 * Why a prediction was answered where it was: "edge" (the small model was confident enough), "requested"
 * (model "large"), "uncertain" (the small model's answer was past the escalation thresholds), "context"
 * (the history is longer than the small model reads), "unseen" (its prompt holds tokens the small model never
 * saw in training).
 */
export const ROUTE_REASONS = ["edge", "requested", "uncertain", "context", "unseen"] as const;
export type RouteReason = (typeof ROUTE_REASONS)[number];

/** How long the answer took where it was computed, in milliseconds. */
export const TimingSchema = z.object({
  /** Tokenising and running the model (or the baseline predictor). */
  model_ms: z.number(),
  /** From the request's arrival to the response (one batch's requests share it). */
  total_ms: z.number(),
});

export const PredictResponseSchema = z.object({
  model: z.string(),
  served_by: z.enum(["edge", "origin"]),
  /** What computed the distribution: the distilled "small" LM, the "large" LM, or "baseline:<kind>". */
  engine: z.string(),
  next_year: z.int(),
  predictions: z.array(PredictionSchema),
  distribution: z.record(z.string(), z.number()).optional(),
  /** P(the next state differs from the last observed one). */
  p_change: z.number(),
  /** P(the next state is "Not in labor force"), when the model's label set has that state. */
  p_exit_labor_force: z.number().optional(),
  /** The large model's probability mass outside the valid labels, before normalising over them. */
  outside_mass: z.number().optional(),
  degraded: z.boolean().optional(),
  reason: z.string().optional(),
  /** Why it was answered where it was (the edge's routing decision). */
  route: z
    .object({
      reason: z.enum(ROUTE_REASONS),
      detail: z.string(),
    })
    .optional(),
  timing: TimingSchema.optional(),
  /** For history entries given as titles or codes: how each was understood. */
  understood: z.array(UnderstoodEntrySchema).optional(),
});

/** A batch of codes-only requests (the origin's). */
export const PredictBatchRequestSchema = z.strictObject({
  requests: z.array(PredictRequestSchema).min(1).max(MAX_BATCH),
});

/** The edge's batch: titles and other code systems allowed, as in EdgePredictRequestSchema. */
export const EdgePredictBatchRequestSchema = z.strictObject({
  requests: z.array(EdgePredictRequestSchema).min(1).max(MAX_BATCH),
});

export const PredictBatchResponseSchema = z.object({
  results: z.array(PredictResponseSchema),
  timing: z.object({ total_ms: z.number() }),
});

export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type PredictRequest = z.infer<typeof PredictRequestSchema>;
export type PredictRequestInput = z.input<typeof PredictRequestSchema>;
export type EdgePredictRequest = z.infer<typeof EdgePredictRequestSchema>;
export type EdgePredictRequestInput = z.input<typeof EdgePredictRequestSchema>;
export type HistoryInputEntry = z.infer<typeof HistoryInputEntrySchema>;
export type UnderstoodEntry = z.infer<typeof UnderstoodEntrySchema>;
export type Prediction = z.infer<typeof PredictionSchema>;
export type PredictResponse = z.infer<typeof PredictResponseSchema>;
export type PredictBatchRequest = z.infer<typeof PredictBatchRequestSchema>;
export type PredictBatchResponse = z.infer<typeof PredictBatchResponseSchema>;
