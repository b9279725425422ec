// The API's OpenAPI 3.1 document, generated: every schema comes from core/contract.ts (functions/openapi/
// schemas.ts), so the document cannot drift from what the routes accept and answer. What zod cannot say
// (paths, statuses, headers, security) is written here once. Platform-free: served by the Worker
// (GET /openapi.json, GET /docs) and written to a file by `npm run openapi`.
import { MAX_BATCH, OccupationSearchQuerySchema, OccupationsQuerySchema } from "../../core/contract.ts";
import { PROBLEM_CONTENT_TYPE } from "../../core/problem.ts";
import { PREDICT_EXAMPLES, PREDICT_RESPONSE_EXAMPLE, PROBLEM_EXAMPLES } from "./examples.ts";
import { componentSchemas, queryParameters, type JsonSchema, type QueryParameter } from "./schemas.ts";

export const OPENAPI_VERSION = "3.1.0";
/** The document's version: the API's, which changes when the contract does. */
export const API_VERSION = "1.0.0";
export const LOCAL_SERVER = "http://127.0.0.1:8787";

export interface Example {
  summary?: string;
  value: unknown;
}

export interface MediaType {
  schema: JsonSchema;
  examples?: Record<string, Example>;
}

export interface Header {
  description: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}

export type Reference = { $ref: string };

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: QueryParameter[];
  requestBody?: { required: boolean; description: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | Reference>;
}

export type Method = "get" | "post";

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary: string; description: string };
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string): Reference => ({ $ref: `#/components/responses/${name}` });
const json = (schema: string, examples?: Record<string, Example>): Record<string, MediaType> => ({
  "application/json": examples ? { schema: schemaRef(schema), examples } : { schema: schemaRef(schema) },
});

function problemResponse(description: string, examples: Record<string, Example>, headers?: Record<string, Header>): ResponseObject {
  const response: ResponseObject = { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef("Problem"), examples } } };
  if (headers) response.headers = headers;
  return response;
}

/** The refusals shared by several operations (README "Errors"). */
const RESPONSES: Record<string, ResponseObject> = {
  MalformedJson: problemResponse("`malformed-json`: the body is not JSON, not UTF-8, or empty.", { malformedJson: { value: PROBLEM_EXAMPLES.malformedJson } }),
  MissingApiKey: problemResponse(
    "`missing-api-key`: API keys are configured and the request presents none.",
    { missingApiKey: { value: PROBLEM_EXAMPLES.missingApiKey } },
    { "WWW-Authenticate": { description: "The scheme to use: `Bearer`.", schema: { type: "string" } } },
  ),
  InvalidApiKey: problemResponse("`invalid-api-key`: the key presented is not one of the configured keys.", {
    invalidApiKey: { value: PROBLEM_EXAMPLES.invalidApiKey },
  }),
  BodyTooLarge: problemResponse("`body-too-large`: the body exceeds 64 KiB (256 KiB for a batch).", { bodyTooLarge: { value: PROBLEM_EXAMPLES.bodyTooLarge } }),
  UnsupportedMediaType: problemResponse(
    "`unsupported-media-type`: the content type is not `application/json` (or another `+json` type).",
    { unsupportedMediaType: { value: PROBLEM_EXAMPLES.unsupportedMediaType } },
    { "Accept-Post": { description: "The media type to send.", schema: { type: "string" } } },
  ),
  RateLimited: problemResponse(
    "`rate-limited`: the caller's key (or IP address) is over its limit.",
    { rateLimited: { value: PROBLEM_EXAMPLES.rateLimited } },
    { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } },
  ),
  ModelUnavailable: problemResponse("`model-unavailable`: the model's files do not match its manifest (the reason is in `detail`).", {
    modelUnavailable: { value: PROBLEM_EXAMPLES.modelUnavailable },
  }),
};

/** The key is optional: the API is open unless the deployment sets API_KEYS. */
const OPTIONAL_KEY: Record<string, string[]>[] = [{}, { bearerAuth: [] }, { apiKeyHeader: [] }];
const NO_KEY: Record<string, string[]>[] = [];
const KEY_REFUSALS = { "401": responseRef("MissingApiKey"), "403": responseRef("InvalidApiKey"), "429": responseRef("RateLimited") };
const BODY_REFUSALS = { "400": responseRef("MalformedJson"), "413": responseRef("BodyTooLarge"), "415": responseRef("UnsupportedMediaType") };

const SERVER_TIMING: Header = { description: "Where the time went (edge model, origin, model load phases).", schema: { type: "string" } };

function paths(): OpenApiDocument["paths"] {
  const predictRefused = (pointerNote: string) =>
    problemResponse(
      "`invalid-request`: schema errors, unknown occupation codes, titles that cannot be placed, years not strictly increasing or after next year, " +
        `\`next_year\` not after the last year, \`birth_year\` not before the first year; every error is in \`errors\`${pointerNote}. ` +
        "`unknown-model`: `model` names no model served here (`available` lists them).",
      { invalidRequest: { value: PROBLEM_EXAMPLES.invalidRequest }, unknownModel: { value: PROBLEM_EXAMPLES.unknownModel } },
    );
  return {
    "/v1/predict": {
      post: {
        operationId: "predict",
        summary: "Predict the next occupation",
        description:
          "The probability of every possible next state of a career, given its observed years (as occupation codes, free-text titles or codes of other systems) and optionally the person. " +
          "Answered at the edge by the small model, or routed to the origin's large model (`served_by`, `route`).",
        tags: ["predictions"],
        security: OPTIONAL_KEY,
        requestBody: { required: true, description: "The question.", content: json("PredictRequest", PREDICT_EXAMPLES) },
        responses: {
          "200": {
            description: "The prediction.",
            headers: {
              "X-Cache": { description: "`HIT` when answered from the response cache, else `MISS`.", schema: { type: "string", enum: ["HIT", "MISS"] } },
              "Server-Timing": SERVER_TIMING,
            },
            content: json("PredictResponse", { codes: { summary: "The answer to the codes example", value: PREDICT_RESPONSE_EXAMPLE } }),
          },
          ...BODY_REFUSALS,
          ...KEY_REFUSALS,
          "422": predictRefused(" (a pointer such as `/history/1/occupation`), the first one also as `pointer`"),
          "503": responseRef("ModelUnavailable"),
        },
      },
    },
    "/v1/predict/batch": {
      post: {
        operationId: "predictBatch",
        summary: "Predict for several careers at once",
        description: `1 to ${MAX_BATCH} questions answered in order, each as \`POST /v1/predict\` would. All or nothing: if any question is wrong the batch is refused with every error.`,
        tags: ["predictions"],
        security: OPTIONAL_KEY,
        requestBody: {
          required: true,
          description: "The questions.",
          content: json("PredictBatchRequest", { two: { summary: "Two questions", value: { requests: [PREDICT_EXAMPLES.codes!.value, PREDICT_EXAMPLES.large!.value] } } }),
        },
        responses: {
          "200": { description: "The answers, in the order of the questions.", headers: { "Server-Timing": SERVER_TIMING }, content: json("PredictBatchResponse") },
          ...BODY_REFUSALS,
          ...KEY_REFUSALS,
          "422": predictRefused(", each pointing into its question (`/requests/2/history/0/year`)"),
          "503": responseRef("ModelUnavailable"),
        },
      },
    },
    "/v1/models": {
      get: {
        operationId: "listModels",
        summary: "List the models",
        description:
          "Each model served here: whether it is the default, its taxonomy, label count, special states, engine, the small model's size and context, the data it was trained on and its test metrics.",
        tags: ["models"],
        security: OPTIONAL_KEY,
        responses: { "200": { description: "The models.", content: json("ModelsResponse") }, ...KEY_REFUSALS },
      },
    },
    "/v1/occupations": {
      get: {
        operationId: "listOccupations",
        summary: "List a model's occupations",
        description: "Every label of a model (`code`, `title`, `special_state`) in the model's output order.",
        tags: ["occupations"],
        security: OPTIONAL_KEY,
        parameters: queryParameters(OccupationsQuerySchema),
        responses: {
          "200": { description: "The model's labels.", content: json("OccupationsResponse") },
          ...KEY_REFUSALS,
          "422": problemResponse("`unknown-model`: `model` names no model served here (`available` lists them).", {
            unknownModel: { value: PROBLEM_EXAMPLES.unknownModelParameter },
          }),
          "503": responseRef("ModelUnavailable"),
        },
      },
    },
    "/v1/occupations/search": {
      get: {
        operationId: "searchOccupations",
        summary: "Search occupations by title",
        description: "Autocomplete for widgets: the model's occupations whose titles match `q` (the last word may be unfinished), best first.",
        tags: ["occupations"],
        security: OPTIONAL_KEY,
        parameters: queryParameters(OccupationSearchQuerySchema),
        responses: {
          "200": { description: "The matches.", content: json("OccupationSearchResponse") },
          ...KEY_REFUSALS,
          "422": problemResponse("`invalid-query`: an empty or too long `q`, a bad `limit` or an unknown `model`; every one is in `invalid_params`.", {
            invalidQuery: { value: PROBLEM_EXAMPLES.invalidQuery },
          }),
          "503": responseRef("ModelUnavailable"),
        },
      },
    },
    "/health": {
      get: {
        operationId: "getHealth",
        summary: "Health",
        description:
          "Liveness plus the models this Worker serves and whether each is loaded yet (loading is lazy: `not loaded` until a model's first request), with where a loaded model's cold start went.",
        tags: ["service"],
        security: NO_KEY,
        responses: { "200": { description: "The Worker is up (`status` says whether the default model verified).", content: json("HealthResponse") } },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI document",
        description: "The OpenAPI 3.1 document of the API, generated from the contract's schemas.",
        tags: ["service"],
        security: NO_KEY,
        responses: { "200": { description: "The document.", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
    "/docs": {
      get: {
        operationId: "getDocsPage",
        summary: "API reference page",
        description: "This document as a self-contained HTML page.",
        tags: ["service"],
        security: NO_KEY,
        responses: { "200": { description: "The page.", content: { "text/html": { schema: { type: "string" } } } } },
      },
    },
  };
}

const DESCRIPTION = `Next-occupation prediction at the edge, after LABOR-LLM (arXiv 2406.17972): given a worker's occupational
history, the probability of every possible next occupation, of changing occupation and of leaving the labour force.

Every refusal is RFC 9457 \`application/problem+json\` with the JSON pointer of each offending field. API keys are
optional (the deployment's \`API_KEYS\` secret): send \`Authorization: Bearer KEY\` or \`x-api-key: KEY\`.`;

/** Responses in the order of their status codes, for readers. */
function sortResponses(all: OpenApiDocument["paths"]): OpenApiDocument["paths"] {
  for (const item of Object.values(all))
    for (const operation of Object.values(item)) operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
  return all;
}

/** The document; `servers` defaults to the local `npm run dev`. */
export function buildOpenApiDocument(options: { servers?: OpenApiDocument["servers"] } = {}): OpenApiDocument {
  return {
    openapi: OPENAPI_VERSION,
    info: { title: "labor-llm-edge API", version: API_VERSION, summary: "Next-occupation prediction at the edge", description: DESCRIPTION },
    servers: options.servers ?? [{ url: LOCAL_SERVER, description: "npm run dev" }],
    tags: [
      { name: "predictions", description: "The next occupation of a career." },
      { name: "occupations", description: "What a model can predict, and title search for autocomplete." },
      { name: "models", description: "The models served here." },
      { name: "service", description: "Health and this reference." },
    ],
    paths: sortResponses(paths()),
    components: {
      schemas: componentSchemas(),
      responses: RESPONSES,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key as `Authorization: Bearer KEY`, when the deployment sets `API_KEYS`." },
        apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key", description: "An API key in the `x-api-key` header, when the deployment sets `API_KEYS`." },
      },
    },
  };
}
