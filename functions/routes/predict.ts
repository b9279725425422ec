// POST /v1/predict: body -> request schema -> model -> request against the model -> cache or small model
// (else the baseline) -> prediction. Every refusal is problem+json; the history is never logged.
import type { Context } from "hono";
import { invalidRequest } from "../../core/problem.ts";
import { parsePredictRequest } from "../../core/validate-request.ts";
import type { AppEnv } from "../env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { problemResponse } from "../http/problem-response.ts";
import { cacheKeyFor, executionContextOf, matchCached, storeCached, withCacheStatus } from "../http/response-cache.ts";
import { setMetric } from "../http/server-timing.ts";
import type { ModelRegistry } from "../models/registry.ts";
import { answerAtEdge, round } from "../predict/answer.ts";
import { describeFor, loadFor } from "../predict/resolve.ts";

/** The model bytes are fixed per deployment and the key carries their digest: an hour is safe. */
const CACHE_SECONDS = 3600;

export function predictHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string) {
  return async (c: Context<AppEnv>) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw);
    if (!body.ok) return problemResponse(body.problem, body.problem.status === 415 ? { "accept-post": "application/json" } : {});
    const parsed = parsePredictRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const request = parsed.value;

    const described = await describeFor(registry, request, defaultModel(c.env));
    if (!described.ok) return problemResponse(described.problem);
    const { name, errors } = described.value;
    if (errors.length) return problemResponse(invalidRequest(errors));

    const wasReady = registry.state(name) === "ready";
    const model = await loadFor(registry, name);
    if (!model.ok) return problemResponse(model.problem);
    if (!wasReady && model.value.loadTimings) {
      for (const [phase, ms] of Object.entries(model.value.loadTimings)) setMetric(c, `load-${phase.replace(/_ms$/, "").replaceAll("_", "-")}`, ms);
    }

    // Looked up only once the model's files are verified. Identical questions to the same model get the same
    // answer: key = the parsed request (defaults applied, any key order) + the model's name and its whole
    // manifest (which holds the digest of every file).
    const key = await cacheKeyFor("v1/predict", { request: { ...request, model: name }, manifest: described.value.described.manifest });
    const cached = await matchCached(key);
    if (cached) return cached;

    const response = await answerAtEdge(name, model.value, request);
    response.timing!.total_ms = round(performance.now() - arrived);
    setMetric(c, "model", response.timing!.model_ms);
    const res = withCacheStatus(c.json(response, 200, { "cache-control": "no-store" }), "MISS");
    if (!response.degraded) await storeCached(executionContextOf(c), key, res, CACHE_SECONDS);
    return res;
  };
}
