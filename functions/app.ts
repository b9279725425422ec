// The edge API as a Hono app: routes, and problem+json for everything that is not a success: refusals are
// thrown as ProblemError where they are found (the jsonBody middleware reads and checks every POST body)
// and answered in one place, onError.
import { Hono } from "hono";
import { timing } from "hono/timing";
import type { AppEnv, Env } from "./env.ts";
import { requireApiKey } from "./http/api-keys.ts";
import { corsPolicy } from "./http/cors.ts";
import { MAX_BATCH_BODY_BYTES, jsonBody } from "../core/json-body.ts";
import { internalError, methodNotAllowed, notFound, ProblemError, problemResponse } from "../core/problem.ts";
import { parseEdgePredictBatchRequest, parseEdgePredictRequest } from "../core/validate-request.ts";
import { rateLimit } from "./http/rate-limit.ts";
import type { ModelRegistry } from "./models/registry.ts";
import { createRoutingState } from "./routing/router.ts";
import { healthHandler } from "./routes/health.ts";
import { modelsHandler, occupationsHandler, searchHandler } from "./routes/models.ts";
import { docsHandler, openApiHandler } from "./routes/openapi.ts";
import { predictBatchHandler, predictHandler } from "./routes/predict.ts";
import { widgetRoutes } from "./routes/widget.ts";

export function createApp(registry: ModelRegistry): Hono<AppEnv> {
  const defaultModel = (env: Env | undefined): string => env?.DEFAULT_MODEL || registry.names()[0] || "";
  const app = new Hono<AppEnv>();
  const routing = createRoutingState();
  const pipeline = { registry, routing, defaultModel };

  // Outermost first: timings cover everything; CORS headers reach refusals too and preflights end there;
  // then the key, then the limiter (keyed by the accepted key).
  app.use(timing({ total: true, totalDescription: "total" })); // Server-Timing; handlers add metrics with setMetric
  // The widget's script, its integrity and the demo page (GET /): public static files, before the CORS policy.
  app.route("/", widgetRoutes());
  app.use(corsPolicy());
  app.use("/v1/*", requireApiKey());
  app.use("/v1/*", rateLimit());

  app.get("/health", healthHandler(registry, defaultModel, routing));
  app.get("/openapi.json", openApiHandler());
  app.get("/docs", docsHandler());
  app.post("/v1/predict", jsonBody(parseEdgePredictRequest), predictHandler(pipeline));
  app.post("/v1/predict/batch", jsonBody(parseEdgePredictBatchRequest, MAX_BATCH_BODY_BYTES), predictBatchHandler(pipeline));
  app.get("/v1/models", modelsHandler(registry, defaultModel));
  app.get("/v1/occupations", occupationsHandler(registry, defaultModel));
  app.get("/v1/occupations/search", searchHandler(registry, defaultModel));
  for (const [path, allowed] of [["/v1/predict", "POST"], ["/v1/predict/batch", "POST"], ["/v1/models", "GET"], ["/v1/occupations", "GET"], ["/v1/occupations/search", "GET"]] as const)
    app.all(path, (c) => {
      throw new ProblemError(methodNotAllowed(c.req.method, allowed), { allow: allowed });
    });

  app.notFound((c) => problemResponse(notFound(new URL(c.req.url).pathname)));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(error.problem, error.headers);
    // Only the error's name and the route: messages and bodies may carry a person's history.
    console.error(JSON.stringify({ event: "unhandled_error", error: error.name, method: c.req.method, path: new URL(c.req.url).pathname }));
    return problemResponse(internalError());
  });
  return app;
}
