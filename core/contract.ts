// The prediction contract of POST /v1/predict, shared by the edge Worker, the origin and the tests.
// Schemas are defined once here; types are inferred from them.
import * as z from "zod";
import { EDUCATION_LEVELS, RACES, REGIONS, SEXES } from "./career.ts";
import { CUSTOM_LABEL_SET_PATTERN, TAXONOMY_IDS } from "./taxonomy.ts";
import { CODE_SYSTEMS } from "./titles/convert.ts";
import { EQUIVALENT_SYSTEMS, MAX_EQUIVALENTS } from "./titles/equivalents.ts";

export const MAX_HISTORY_YEARS = 60;
export const MAX_TOP_K = 50;
export const MIN_YEAR = 1900;
/** Most questions in one POST /v1/predict/batch. */
export const MAX_BATCH = 32;
export const MAX_YEAR = 2100;

/** Highest schooling as of that year, for models whose panels record it by year (NLSY79). */
const YearEducationSchema = z.enum(EDUCATION_LEVELS).optional();

export const HistoryEntrySchema = z.strictObject({
  year: z.int().min(MIN_YEAR).max(MAX_YEAR),
  occupation: z.string().min(1).max(32),
  education: YearEducationSchema,
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
    education: YearEducationSchema,
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
  /** Each prediction also lists its occupation's codes in this system (core/titles/equivalents.ts). */
  equivalents: z
    .enum(EQUIVALENT_SYSTEMS, { error: `equivalents are offered in ${EQUIVALENT_SYSTEMS.join(", ")} (current editions only)` })
    .optional(),
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

/** One code of another system that a predicted occupation corresponds to through the crosswalks. */
export const EquivalentSchema = z.object({
  code: z.string(),
  title: z.string(),
  /** Share of the code's crosswalk weight that reaches the predicted label, in (0, 1]: not a probability. */
  weight: z.number(),
});

/** A prediction's codes in the system the request asked for (`equivalents`). */
export const EquivalentsSchema = z.object({
  system: z.enum(EQUIVALENT_SYSTEMS),
  /** How many codes correspond in all; `codes` lists at most MAX_EQUIVALENTS of them. */
  total: z.int(),
  codes: z.array(EquivalentSchema).max(MAX_EQUIVALENTS),
});

export const PredictionSchema = z.object({
  code: z.string(),
  title: z.string(),
  probability: z.number(),
  equivalents: EquivalentsSchema.optional(),
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

// ---- The other routes' answers and the refusals (documented in the OpenAPI document, functions/openapi/) ----

/** One field-level error of a refusal: the JSON pointer (RFC 6901) of the field in the request body. */
export const InvalidParamSchema = z.object({ pointer: z.string(), detail: z.string() });

/** A candidate code for an ambiguous or unplaced title (a refusal's `candidates`, by pointer). */
export const CandidateSchema = z.object({ code: z.string(), title: z.string(), confidence: z.number() });

/**
 * RFC 9457 problem details, the body of every refusal (application/problem+json). Extension members appear
 * where they apply; others may be added, so the object is open.
 */
export const ProblemSchema = z
  .looseObject({
    type: z.string().meta({ description: "URI naming the kind of problem (https://labor-llm-edge.dev/problems/<slug>)" }),
    title: z.string().meta({ description: "Short summary of the kind of problem" }),
    status: z.int().meta({ description: "The HTTP status code" }),
    detail: z.string().meta({ description: "What went wrong with this request" }),
    pointer: z.string().optional().meta({ description: "JSON pointer of the first offending field of the body" }),
    errors: z.array(InvalidParamSchema).optional().meta({ description: "Every offending field (422 invalid-request)" }),
    candidates: z
      .record(z.string(), z.array(CandidateSchema))
      .optional()
      .meta({ description: "For titles that could not be placed: the best candidates, by the entry's pointer" }),
    parameter: z.string().optional().meta({ description: "The first offending query parameter" }),
    invalid_params: z
      .array(z.object({ parameter: z.string(), detail: z.string() }))
      .optional()
      .meta({ description: "Every offending query parameter (422 invalid-query)" }),
    available: z.array(z.string()).optional().meta({ description: "The models served here (422 unknown-model)" }),
    model: z.string().optional().meta({ description: "The model concerned (503 model-unavailable)" }),
  })
  .meta({ description: "RFC 9457 problem details" });

/** The code system of a model's labels: a built-in taxonomy, or `custom:NAME` for a user's own code list. */
export const LabelSetIdSchema = z
  .union([z.enum(TAXONOMY_IDS), z.string().regex(CUSTOM_LABEL_SET_PATTERN)])
  .meta({ description: "The code system of its labels: occ1990dd, nlswork, isco08, or custom:NAME for a code list of the model's own (no title coder or crosswalks)" });

/** GET /v1/models: a served model whose manifest verified (no inference session is created to say so). */
export const ModelSummarySchema = z
  .object({
    name: z.string(),
    default: z.boolean().meta({ description: "Whether requests that name no model get this one" }),
    available: z.literal(true),
    description: z.string(),
    taxonomy: LabelSetIdSchema,
    labels: z.int().meta({ description: "How many labels (occupations and special states) it predicts over" }),
    special_states: z.array(z.string()).meta({ description: "Label codes that are states, not occupations (e.g. NILF)" }),
    step_years: z.number().meta({ description: "The usual years between observations: the default next_year is the last year plus this" }),
    interview_years: z
      .array(z.int())
      .optional()
      .meta({ description: "The panel's interview years where they are unevenly spaced: the default next_year is the next of them after the history" }),
    engine: z.string().meta({ description: '"small" (the distilled LM) or the baseline\'s kind' }),
    small_model: z.object({ parameters: z.int(), max_tokens: z.int() }).optional().meta({ description: "The small model's size and context" }),
    data: z
      .object({ dataset: z.string(), fingerprint: z.string(), people: z.int(), person_years: z.int() })
      .meta({ description: "The panel it was trained on" }),
    metrics: z.record(z.string(), z.record(z.string(), z.number())).meta({ description: "Test metrics of every model and baseline, by name" }),
  })
  .meta({ description: "A model served here" });

/** GET /v1/models: a model listed in the deployment whose files did not verify. */
export const UnavailableModelSchema = z
  .object({ name: z.string(), default: z.boolean(), available: z.literal(false), reason: z.string() })
  .meta({ description: "A model that is listed but cannot answer (its files do not match its manifest)" });

export const ModelsResponseSchema = z.object({
  default_model: z.string(),
  models: z.array(z.discriminatedUnion("available", [ModelSummarySchema, UnavailableModelSchema])),
});

/** GET /v1/occupations?model=NAME. */
export const OccupationsQuerySchema = z.object({
  model: z.string().optional().meta({ description: "The model whose labels to list; the default model when absent" }),
});

export const OccupationSchema = z.object({
  code: z.string(),
  title: z.string(),
  special_state: z.boolean().meta({ description: "A state such as Not in labor force rather than an occupation" }),
});

export const OccupationsResponseSchema = z.object({
  model: z.string(),
  taxonomy: LabelSetIdSchema,
  occupations: z.array(OccupationSchema).meta({ description: "Every label, in the model's output order" }),
});

export const MAX_SEARCH_QUERY = 100;
export const MAX_SEARCH_RESULTS = 25;
export const DEFAULT_SEARCH_RESULTS = 10;

/** GET /v1/occupations/search: the query parameters (checked by the route, which names each offending one). */
export const OccupationSearchQuerySchema = z.object({
  q: z.string().min(1).max(MAX_SEARCH_QUERY).meta({ description: "Words of the title; the last word may be unfinished", examples: ["registered nur"] }),
  model: z.string().optional().meta({ description: "The model whose occupations to search; the default model when absent" }),
  limit: z.int().min(1).max(MAX_SEARCH_RESULTS).default(DEFAULT_SEARCH_RESULTS).meta({ description: "How many results at most" }),
});

export const OccupationSuggestionSchema = z.object({
  code: z.string(),
  title: z.string(),
  score: z.number().meta({ description: "Relevance in [0, 1], for ordering" }),
  matched: z.string().optional().meta({ description: "The known job title that matched, when it is not the occupation's own title" }),
});

export const OccupationSearchResponseSchema = z.object({
  model: z.string(),
  taxonomy: LabelSetIdSchema,
  q: z.string(),
  results: z.array(OccupationSuggestionSchema).meta({ description: "Best first" }),
});

/** A model's state in an isolate: loading is lazy, on its first request. */
export const MODEL_STATES = ["not loaded", "loading", "ready", "failed"] as const;

/** GET /health. */
export const HealthResponseSchema = z.object({
  status: z.enum(["ok", "degraded"]).meta({ description: '"degraded" when the default model failed verification' }),
  default_model: z.string(),
  models: z.array(
    z.object({
      name: z.string(),
      state: z.enum(MODEL_STATES),
      load_ms: z
        .object({
          verify_ms: z.number(),
          session_ms: z.number(),
          first_run_ms: z.number(),
          wasm_instantiate_ms: z.number().optional(),
        })
        .optional()
        .meta({ description: "Where a loaded model's cold start went" }),
    }),
  ),
  runtime: z.object({ wasm_memory_mib: z.number() }).optional().meta({ description: "onnxruntime-web's linear memory, once instantiated" }),
  origin: z
    .object({
      url: z.string(),
      protocol: z.enum(["native", "openai"]),
      breaker: z.enum(["closed", "open", "half-open"]),
      shadow: z
        .object({
          sent: z.int(),
          compared: z.int(),
          failed: z.int(),
          top1_agreement: z.number().optional(),
          mean_total_variation: z.number().optional(),
        })
        .optional(),
    })
    .optional()
    .meta({ description: "The large-model origin, when one is configured" }),
});

export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type PredictRequest = z.infer<typeof PredictRequestSchema>;
export type PredictRequestInput = z.input<typeof PredictRequestSchema>;
export type EdgePredictRequest = z.infer<typeof EdgePredictRequestSchema>;
export type EdgePredictRequestInput = z.input<typeof EdgePredictRequestSchema>;
export type HistoryInputEntry = z.infer<typeof HistoryInputEntrySchema>;
export type UnderstoodEntry = z.infer<typeof UnderstoodEntrySchema>;
export type Prediction = z.infer<typeof PredictionSchema>;
export type PredictionEquivalents = z.infer<typeof EquivalentsSchema>;
export type PredictResponse = z.infer<typeof PredictResponseSchema>;
export type PredictBatchRequest = z.infer<typeof PredictBatchRequestSchema>;
export type PredictBatchResponse = z.infer<typeof PredictBatchResponseSchema>;
export type EdgePredictBatchRequest = z.infer<typeof EdgePredictBatchRequestSchema>;
export type EdgePredictBatchRequestInput = z.input<typeof EdgePredictBatchRequestSchema>;
export type InvalidParamBody = z.infer<typeof InvalidParamSchema>;
export type ProblemBody = z.infer<typeof ProblemSchema>;
export type ModelsResponse = z.infer<typeof ModelsResponseSchema>;
export type OccupationsResponse = z.infer<typeof OccupationsResponseSchema>;
export type OccupationSearchQuery = z.input<typeof OccupationSearchQuerySchema>;
export type OccupationSearchResponse = z.infer<typeof OccupationSearchResponseSchema>;
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
