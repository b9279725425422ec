// The edge API as a Hono app: routes, and problem+json for everything that is not a success.
import { Hono } from "hono";
import type { AppEnv, Env } from "./env.ts";
import { internalError, methodNotAllowed, notFound, problemResponse } from "./http/problem-response.ts";
import type { ModelRegistry } from "./models/registry.ts";
import { healthHandler } from "./routes/health.ts";
import { predictHandler } from "./routes/predict.ts";

export function createApp(registry: ModelRegistry): Hono<AppEnv> {
  const defaultModel = (env: Env | undefined): string => env?.DEFAULT_MODEL || registry.names()[0] || "";
  const app = new Hono<AppEnv>();

  app.get("/health", healthHandler(registry, defaultModel));
  app.post("/v1/predict", predictHandler(registry, defaultModel));
  app.all("/v1/predict", (c) => problemResponse(methodNotAllowed(c.req.method, "POST"), { allow: "POST" }));

  app.notFound((c) => problemResponse(notFound(new URL(c.req.url).pathname)));
  app.onError((error, c) => {
    // Only the error's name and the route: messages and bodies may carry a person's history.
    console.error(JSON.stringify({ event: "unhandled_error", error: error.name, method: c.req.method, path: new URL(c.req.url).pathname }));
    return problemResponse(internalError());
  });
  return app;
}
