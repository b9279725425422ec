// The origin's HTTP surface, as a Hono app on Web-standard Request/Response (served by @hono/node-server):
//   GET  /health               open
//   POST /v1/predict           the prediction contract, answered by the large model
//   POST /v1/predict/batch     up to MAX_BATCH questions
//   POST /v1/completions       OpenAI-compatible scoring (echo + logprobs, max_tokens 0)
// Every /v1/* request needs the shared secret; every refusal is problem+json, thrown as a ProblemError where
// it is found (the jsonBody middleware reads and checks every POST body) and answered here, in onError.
import { Hono } from "hono";
import { MAX_BATCH_BODY_BYTES, jsonBody } from "../core/json-body.ts";
import { internalError, methodNotAllowed, notFound, ProblemError, problemResponse } from "../core/problem.ts";
import { parsePredictBatchRequest, parsePredictRequest, parseWith } from "../core/validate-request.ts";
import { CompletionRequestSchema, MAX_COMPLETIONS_BODY_BYTES, withOpenAIError } from "./completions.ts";
import type { ExecutionProvider } from "./execution-provider.ts";
import { completionsHandler } from "./routes/completions.ts";
import { healthHandler } from "./routes/health.ts";
import { predictBatchHandler } from "./routes/predict-batch.ts";
import { predictHandler } from "./routes/predict.ts";
import type { ModelQueue } from "./run-jobs.ts";
import { requireSecret } from "./secret.ts";
import type { ServedModels } from "./served-models.ts";

export interface OriginDeps {
  models: ServedModels;
  queue: ModelQueue;
  secret: string;
  provider: () => ExecutionProvider;
  log?: (line: string) => void;
}

const POST_ONLY = ["/v1/predict", "/v1/predict/batch", "/v1/completions"];

export function createOriginApp({ models, queue, secret, provider, log = () => {} }: OriginDeps): Hono {
  const app = new Hono();
  // One line per request: method, path, status, time. Never the body: careers are personal data.
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)} ms`);
  });
  app.get("/health", healthHandler(models, queue, provider));
  app.use("/v1/*", requireSecret(secret));
  app.post("/v1/predict", jsonBody(parsePredictRequest), predictHandler(models, queue));
  app.post("/v1/predict/batch", jsonBody(parsePredictBatchRequest, MAX_BATCH_BODY_BYTES), predictBatchHandler(models, queue));
  app.post("/v1/completions", jsonBody((body) => parseWith(CompletionRequestSchema, body), MAX_COMPLETIONS_BODY_BYTES), completionsHandler(models, queue));
  for (const path of POST_ONLY)
    app.all(path, (c) => {
      throw new ProblemError(methodNotAllowed(c.req.method, "POST"), { allow: "POST" });
    });
  app.notFound((c) => problemResponse(notFound(c.req.path)));
  app.onError((error, c) => {
    if (error instanceof ProblemError) {
      // OpenAI-style clients read an `error` object: the completions route's refusals carry one too.
      const p = c.req.path === "/v1/completions" ? withOpenAIError(error.problem) : error.problem;
      return problemResponse(p, error.headers);
    }
    // Only the error's name and the route: messages may quote a request, and careers are personal data.
    log(`error in ${c.req.method} ${c.req.path}: ${error.name}`);
    return problemResponse(internalError());
  });
  return app;
}

