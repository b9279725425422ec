// The contract's zod schemas (core/contract.ts) as JSON Schema 2020-12, the dialect of OpenAPI 3.1: request
// bodies as their input (fields with defaults optional), answers as their output. Named schemas become
// components.schemas and are referenced with $ref. Platform-free: the Worker and scripts/openapi.ts use it.
import * as z from "zod";
import * as c from "../../core/contract.ts";

export type JsonSchema = { [keyword: string]: unknown };

const ref = (name: string) => `#/components/schemas/${name}`;

/** Request bodies and their named parts, converted with io "input". */
const REQUEST_SCHEMAS = {
  PredictRequest: c.EdgePredictRequestSchema,
  PredictBatchRequest: c.EdgePredictBatchRequestSchema,
  HistoryInputEntry: c.HistoryInputEntrySchema,
  Person: c.PersonSchema,
};

/** Answers and their named parts, converted with io "output". */
const RESPONSE_SCHEMAS = {
  PredictResponse: c.PredictResponseSchema,
  PredictBatchResponse: c.PredictBatchResponseSchema,
  Prediction: c.PredictionSchema,
  Equivalents: c.EquivalentsSchema,
  Equivalent: c.EquivalentSchema,
  UnderstoodEntry: c.UnderstoodEntrySchema,
  Timing: c.TimingSchema,
  ModelsResponse: c.ModelsResponseSchema,
  ModelSummary: c.ModelSummarySchema,
  UnavailableModel: c.UnavailableModelSchema,
  OccupationsResponse: c.OccupationsResponseSchema,
  Occupation: c.OccupationSchema,
  OccupationSearchResponse: c.OccupationSearchResponseSchema,
  OccupationSuggestion: c.OccupationSuggestionSchema,
  HealthResponse: c.HealthResponseSchema,
  Problem: c.ProblemSchema,
  InvalidParam: c.InvalidParamSchema,
  Candidate: c.CandidateSchema,
};

/** Descriptions of the schemas written before the OpenAPI document (their doc comments in core/contract.ts). */
const SCHEMA_DESCRIPTIONS: Record<string, string> = {
  PredictRequest: "A question: a career so far, optionally the person, and what to return.",
  PredictBatchRequest: "Up to 32 questions answered in order; refused whole if any is wrong.",
  HistoryInputEntry:
    "One observed year, given as exactly one of: `occupation` (a label code of the model), `title` (free text), or `code` with its `system`.",
  Person: "What is known about the person; every field is optional.",
  PredictResponse: "The distribution over the next state, where it was computed and why.",
  PredictBatchResponse: "The answers in the order of the questions.",
  Prediction: "One candidate next state.",
  Equivalents:
    "The predicted occupation's codes in the system the request named in `equivalents`, through the crosswalks; at most 10, with the total. Empty for a special state.",
  Equivalent: "One code of another system that the predicted occupation corresponds to.",
  UnderstoodEntry: "How the edge read one history entry given as a title or a code.",
  Timing: "How long the answer took where it was computed, in milliseconds.",
  ModelsResponse: "The models served here.",
  OccupationsResponse: "A model's labels in output order.",
  Occupation: "One label of a model.",
  OccupationSearchResponse: "Occupations whose titles match the query, best first.",
  OccupationSuggestion: "One match of an occupation search.",
  HealthResponse: "Liveness, the models of this Worker and whether each is loaded yet.",
  InvalidParam: "One offending field of a request body.",
  Candidate: "A candidate code for a title.",
};

const rq = c.EdgePredictRequestSchema.shape;
const entry = c.HistoryInputEntrySchema.shape;
const person = c.PersonSchema.shape;
const rs = c.PredictResponseSchema.shape;
const understood = c.UnderstoodEntrySchema.shape;
const prediction = c.PredictionSchema.shape;
const equivalents = c.EquivalentsSchema.shape;
const equivalent = c.EquivalentSchema.shape;

/** Field descriptions for the schemas that carry none (the README's tables, short). */
const FIELD_DESCRIPTIONS = new Map<z.core.$ZodType, string>([
  [rq.history, "The career so far, one entry per observed year, oldest first: years strictly increasing and not after next year."],
  [rq.person, "What is known about the person (optional)."],
  [rq.model, 'The model to ask; the default model when absent; "large" asks the origin\'s large model of the default model.'],
  [rq.next_year, "The year to predict, after the last history year; when absent, the model's next interview year (`interview_years`) or the last year plus its `step_years`."],
  [rq.top_k, "How many `predictions` to return, most probable first."],
  [rq.full_distribution, "Add `distribution`: every label's probability, summing to 1."],
  [rq.allow_best_guess, "Take the most likely code of an ambiguous title instead of refusing it."],
  [
    rq.equivalents,
    "Also list, in each prediction, the codes and current titles of this system that its occupation corresponds to through the crosswalks (`equivalents`). Refused (422) for a model whose labels are not a built-in taxonomy.",
  ],
  [entry.year, "The calendar year of the observation."],
  [entry.occupation, "A label code of the model's taxonomy (for nlswork: \"1\" to \"13\"), or a special state."],
  [entry.title, "A free-text job title, coded into the model's taxonomy by the edge (echoed in `understood`); refused (422) for a model whose labels are a code list of its own (`custom:NAME`)."],
  [entry.code, "A code of another system, converted into the model's taxonomy (needs `system`); refused (422) for a model whose labels are a code list of its own."],
  [entry.system, "The code system of `code`."],
  [entry.education, "Highest schooling as of that year, for models whose panel records it by year (nlsy79); the resume states it after the year's line."],
  [person.birth_year, "Year of birth, before the first history year."],
  [rs.model, "The model that answered."],
  [rs.served_by, "Where the answer was computed: the edge Worker or the large-model origin."],
  [rs.engine, 'What computed the distribution: "small" (the distilled LM), "large" (the origin\'s LM) or "baseline:<kind>".'],
  [rs.next_year, "The predicted year."],
  [rs.predictions, "The `top_k` most probable next states, most probable first."],
  [rs.distribution, "Every label's probability by code (when `full_distribution` was asked for)."],
  [rs.p_change, "P(the next state differs from the last observed one)."],
  [rs.p_exit_labor_force, 'P(the next state is "Not in labor force"), when the model has that state.'],
  [rs.outside_mass, "The large model's probability mass outside the valid labels, before normalising over them."],
  [rs.degraded, "Present and true when a fallback answered (the baseline while the small model loads, or the edge when the origin failed)."],
  [rs.reason, "Why the answer is degraded."],
  [rs.route, "Why it was answered where it was (the edge's routing decision)."],
  [rs.timing, "How long the answer took, in milliseconds."],
  [rs.understood, "For history entries given as titles or codes: how each was understood."],
  [prediction.equivalents, "The occupation's codes in the system asked for in the request's `equivalents` (present only then)."],
  [equivalents.system, "The code system of `codes`."],
  [equivalents.total, "How many codes of the system correspond to the occupation; `codes` lists at most 10 of them."],
  [equivalents.codes, "By weight, highest first; at equal weight, codes the occupation's title names first, then by code."],
  [equivalent.code, "A code of the system."],
  [equivalent.title, "The code's current title in its system."],
  [
    equivalent.weight,
    "Share of this code's crosswalk weight that reaches the predicted occupation: 1 when the code corresponds to it alone, less when the crosswalk splits the code over several occupations. Not a probability.",
  ],
  [understood.index, "Index of the entry in the request's history."],
  [understood.given, "What the request gave."],
  [understood.code, "The chosen code of the model's taxonomy."],
  [understood.confidence, "Calibrated confidence of the chosen code (0.7 is right about 70% of the time)."],
  [understood.alternatives, "The next candidates, most likely first."],
]);

/**
 * "Exactly one of occupation, title, or code with system" is a refinement, which JSON Schema conversion
 * drops: the same rule as mutually exclusive oneOf branches, so the document refuses what the edge refuses.
 */
const HISTORY_ENTRY_FORMS: JsonSchema[] = [
  { title: "By occupation code", required: ["occupation"], properties: { title: false, code: false, system: false } },
  { title: "By job title", required: ["title"], properties: { occupation: false, code: false, system: false } },
  { title: "By code of another system", required: ["code", "system"], properties: { occupation: false, title: false } },
];

function override(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const json = ctx.jsonSchema;
  // z.int()'s implicit safe-integer bounds say nothing to a reader.
  if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
  const description = FIELD_DESCRIPTIONS.get(ctx.zodSchema);
  if (description && json.description === undefined) json.description = description;
  if (ctx.zodSchema === c.HistoryInputEntrySchema) json.oneOf = HISTORY_ENTRY_FORMS;
}

function convert(schemas: Record<string, z.ZodType>, io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: converted } = z.toJSONSchema(registry, { target: "draft-2020-12", io, uri: ref, override }) as { schemas: Record<string, JsonSchema> };
  const out: Record<string, JsonSchema> = {};
  for (const [name, json] of Object.entries(converted)) {
    // Each component is part of the document: no dialect or base URI of its own.
    const { $schema: _dialect, $id: _id, ...rest } = json;
    out[name] = SCHEMA_DESCRIPTIONS[name] && rest.description === undefined ? { description: SCHEMA_DESCRIPTIONS[name], ...rest } : rest;
  }
  return out;
}

/** components.schemas: every named request and response schema. */
export function componentSchemas(): Record<string, JsonSchema> {
  return { ...convert(REQUEST_SCHEMAS, "input"), ...convert(RESPONSE_SCHEMAS, "output") };
}

export interface QueryParameter {
  name: string;
  in: "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
  example?: unknown;
}

/** An object schema of query parameters as OpenAPI parameters, in its key order. */
export function queryParameters(schema: z.ZodObject): QueryParameter[] {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", override }) as JsonSchema & {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties).map(([name, property]) => {
    const { description, examples, ...rest } = property;
    const parameter: QueryParameter = { name, in: "query", required: json.required?.includes(name) ?? false, schema: rest };
    if (typeof description === "string") parameter.description = description;
    if (Array.isArray(examples) && examples.length) parameter.example = examples[0];
    return parameter;
  });
}
