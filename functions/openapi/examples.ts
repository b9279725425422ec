// The README's examples, in the OpenAPI document as request and response examples (the linter checks them
// against the schemas; test/worker/openapi.test.ts checks the README's own copies against the document).
import type { EdgePredictRequestInput, PredictResponse, ProblemBody } from "../../core/contract.ts";

const THREE_YEARS = [
  { year: 1978, occupation: "3" },
  { year: 1980, occupation: "4" },
  { year: 1982, occupation: "4" },
];

export const PREDICT_EXAMPLES: Record<string, { summary: string; value: EdgePredictRequestInput }> = {
  codes: {
    summary: "Occupation codes of the model (nlswork), with some of the person",
    value: { history: THREE_YEARS, person: { birth_year: 1952, race: "black", region: "south" }, top_k: 3 },
  },
  titles: {
    summary: "A free-text job title and a SOC 2018 code",
    value: {
      history: [
        { year: 2015, title: "Registered Nurse - ICU nights" },
        { year: 2018, code: "29-1141", system: "soc2018" },
      ],
      model: "synthetic",
      top_k: 3,
    },
  },
  equivalents: {
    summary: "Each predicted occupation's SOC 2018 codes and titles too",
    value: { history: THREE_YEARS, top_k: 2, equivalents: "soc2018" },
  },
  large: {
    summary: "The origin's large model",
    value: { history: THREE_YEARS.slice(0, 2), model: "large" },
  },
};

export const PREDICT_RESPONSE_EXAMPLE: PredictResponse = {
  model: "nlswork",
  served_by: "edge",
  engine: "small",
  next_year: 1984,
  predictions: [
    { code: "4", title: "Clerical/unskilled", probability: 0.4566593811333837 },
    { code: "3", title: "Sales", probability: 0.3204692335799134 },
    { code: "8", title: "Laborers", probability: 0.06901554831509649 },
  ],
  p_change: 0.5433406188666163,
  route: { reason: "edge", detail: "top probability 0.457, entropy 2.01 bits: within the thresholds" },
  timing: { model_ms: 8, total_ms: 736 },
};

const PROBLEMS = "https://labor-llm-edge.dev/problems/";

export const PROBLEM_EXAMPLES = {
  malformedJson: { type: PROBLEMS + "malformed-json", title: "Malformed JSON", status: 400, detail: "the request body is empty" },
  missingApiKey: {
    type: PROBLEMS + "missing-api-key",
    title: "API key required",
    status: 401,
    detail: "send an API key as `Authorization: Bearer <key>` or in the `x-api-key` header",
  },
  invalidApiKey: { type: PROBLEMS + "invalid-api-key", title: "Invalid API key", status: 403, detail: "the API key presented is not valid" },
  bodyTooLarge: { type: PROBLEMS + "body-too-large", title: "Request body too large", status: 413, detail: "the request body exceeds 65536 bytes" },
  unsupportedMediaType: {
    type: PROBLEMS + "unsupported-media-type",
    title: "Unsupported media type",
    status: 415,
    detail: "send the request body as application/json, not text/plain",
  },
  invalidRequest: {
    type: PROBLEMS + "invalid-request",
    title: "Invalid request",
    status: 422,
    detail:
      '/history/1/occupation: unknown occupation code "99" for taxonomy nlswork; /history/2/year: years must strictly increase: 1980 follows 1980',
    pointer: "/history/1/occupation",
    errors: [
      { pointer: "/history/1/occupation", detail: 'unknown occupation code "99" for taxonomy nlswork' },
      { pointer: "/history/2/year", detail: "years must strictly increase: 1980 follows 1980" },
    ],
  },
  unknownModel: {
    type: PROBLEMS + "unknown-model",
    title: "Unknown model",
    status: 422,
    detail: 'model "nlsy" is not served here; available: nlswork, synthetic',
    pointer: "/model",
    errors: [{ pointer: "/model", detail: 'model "nlsy" is not served here; available: nlswork, synthetic' }],
    available: ["nlswork", "synthetic"],
  },
  unknownModelParameter: {
    type: PROBLEMS + "unknown-model",
    title: "Unknown model",
    status: 422,
    detail: 'model "nlsy" is not served here; available: nlswork, synthetic',
    parameter: "model",
    available: ["nlswork", "synthetic"],
  },
  invalidQuery: {
    type: PROBLEMS + "invalid-query",
    title: "Invalid query",
    status: 422,
    detail: "q: q must be 1 to 100 characters",
    parameter: "q",
    invalid_params: [{ parameter: "q", detail: "q must be 1 to 100 characters" }],
  },
  rateLimited: { type: PROBLEMS + "rate-limited", title: "Too many requests", status: 429, detail: "request limit exceeded; retry after 60 seconds" },
  modelUnavailable: {
    type: PROBLEMS + "model-unavailable",
    title: "Model unavailable",
    status: 503,
    detail: "model nlswork: file small.onnx does not match its manifest",
    model: "nlswork",
  },
} satisfies Record<string, ProblemBody>;
