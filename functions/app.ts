// The edge API as a Hono app: who may call (CORS, API keys, the rate limit), the routes, and problem+json for
// everything that is not a success: refusals are thrown as ProblemError where they are found (the jsonBody
// middleware reads and checks every POST body) and answered in one place, onError.
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { timing } from "hono/timing";
import { requireKey } from "../core/access-key.ts";
import { MAX_BATCH_BODY_BYTES, jsonBody } from "../core/json-body.ts";
import { internalError, methodNotAllowed, notFound, problem, ProblemError, problemResponse } from "../core/problem.ts";
import { parseEdgePredictBatchRequest, parseEdgePredictRequest } from "../core/validate-request.ts";
import type { AppEnv, Env } from "./env.ts";
import type { EdgeRegistry } from "./models/edge-model.ts";
import { createRoutingState } from "./routing/router.ts";
import { healthHandler } from "./routes/health.ts";
import { modelsHandler, occupationsHandler, searchHandler } from "./routes/models.ts";
import { docsHandler, openApiHandler } from "./routes/openapi.ts";
import { predictBatchHandler, predictHandler } from "./routes/predict.ts";
import { widgetRoutes } from "./routes/widget.ts";

export function createApp(registry: EdgeRegistry): Hono<AppEnv> {
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
  app.use("/v1/*", apiKeys());
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

// ---- CORS, for browser callers (job-board widgets) ----
// The allow-list ALLOWED_ORIGINS is "*" or a comma-separated list of origins. A disallowed origin gets no
// Access-Control-Allow-Origin; the browser then withholds the answer. Preflights are answered here, before any
// API-key check (browsers send no credentials with them).

/** Headers a browser script may read: timings, rate-limit advice and the response-cache status. */
const EXPOSED_HEADERS = ["Server-Timing", "Retry-After", "X-Cache"];
const ALLOWED_REQUEST_HEADERS = ["content-type", "authorization", "x-api-key"];

const parsedOrigins = new Map<string, "*" | Set<string>>();

/** "*" or the set of allowed origins, normalised as browsers send them (scheme://host[:port]). */
function allowedOrigins(setting: string | undefined): "*" | Set<string> {
  const raw = setting?.trim() || "*";
  let result = parsedOrigins.get(raw);
  if (result) return result;
  const entries = raw.split(",").map((s) => s.trim()).filter(Boolean);
  result = entries.includes("*") ? "*" : new Set(entries.map(normaliseOrigin));
  parsedOrigins.set(raw, result);
  return result;
}

function normaliseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

function corsPolicy(): MiddlewareHandler<AppEnv> {
  return cors({
    origin: (origin, c) => {
      const allowed = allowedOrigins((c.env as Env | undefined)?.ALLOWED_ORIGINS);
      if (allowed === "*") return "*";
      return allowed.has(origin) ? origin : null;
    },
    allowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
    allowHeaders: ALLOWED_REQUEST_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}

// ---- API keys: the secret API_KEYS, comma-separated; unset or empty leaves the API open ----
function apiKeys(): MiddlewareHandler<AppEnv> {
  return requireKey<AppEnv>({
    header: "x-api-key",
    keys: (c) => (c.env?.API_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean),
    realm: "labor-llm-edge",
    missing: problem("missing-api-key", "API key required", 401, "send an API key as `Authorization: Bearer <key>` or in the `x-api-key` header"),
    invalid: problem("invalid-api-key", "Invalid API key", 403, "the API key presented is not valid"),
    accepted: (c, digest) => c.set("apiKeyHash", digest), // the rate limit's identity: never the key itself
  });
}

// ---- the per-client rate limit: the Workers binding RATE_LIMITER (wrangler.toml [[ratelimits]]) ----
// The client is the accepted API key's SHA-256, else the CF-Connecting-IP address. No binding (or RATE_LIMIT =
// "off", for load tests on one machine), no limiting. Over the limit: 429 problem+json with Retry-After.

/** The binding's period (wrangler.toml simple.period; the binding cannot report it). */
const RATE_LIMIT_PERIOD_SECONDS = 60;

function clientIdentity(c: Context<AppEnv>): string {
  const keyHash = c.get("apiKeyHash");
  return keyHash ? `key:${keyHash}` : `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`;
}

function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = c.env?.RATE_LIMIT === "off" ? undefined : c.env?.RATE_LIMITER;
    if (!limiter || c.req.method === "OPTIONS") return next();
    let success = true;
    try {
      ({ success } = await limiter.limit({ key: clientIdentity(c) }));
    } catch (error) {
      // Fail open: a limiter outage must not take the API down. The identity is not logged.
      console.warn(JSON.stringify({ event: "rate_limiter_error", error: (error as Error)?.name ?? "unknown" }));
    }
    if (success) return next();
    throw new ProblemError(problem("rate-limited", "Too many requests", 429, `request limit exceeded; retry after ${RATE_LIMIT_PERIOD_SECONDS} seconds`), {
      "retry-after": String(RATE_LIMIT_PERIOD_SECONDS),
    });
  };
}
