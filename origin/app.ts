// The origin's HTTP surface, as a Hono app on Web-standard Request/Response (served by @hono/node-server):
//   GET  /health               open
//   POST /v1/predict           the prediction contract, answered by the large model
//   POST /v1/predict/batch     up to MAX_BATCH questions
//   POST /v1/completions       OpenAI-compatible scoring (echo + logprobs, max_tokens 0)
// Every /v1/* request needs the shared secret; every refusal is problem+json.
import { Hono } from "hono";
import { internalError, methodNotAllowed, notFound, problemResponse } from "../core/problem.ts";
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
  app.post("/v1/predict", predictHandler(models, queue));
  app.post("/v1/predict/batch", predictBatchHandler(models, queue));
  app.post("/v1/completions", completionsHandler(models, queue));
  for (const path of POST_ONLY) app.all(path, (c) => problemResponse(methodNotAllowed(c.req.method, "POST"), { allow: "POST" }));
  app.notFound((c) => problemResponse(notFound(c.req.path)));
  app.onError((error, c) => {
    log(`error in ${c.req.method} ${c.req.path}: ${error.message}`);
    return problemResponse(internalError());
  });
  return app;
}

