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
import { describeFor } from "../predict/resolve.ts";
import { modelToAnswer, warmupPolicy } from "../predict/warm-up.ts";

/** The model bytes are fixed per deployment and the key carries their digest: an hour is safe. */
const DEFAULT_CACHE_SECONDS = 3600;
const cacheSeconds = (value: string | undefined): number => (value === undefined || value === "" ? DEFAULT_CACHE_SECONDS : Math.max(0, Number(value) || 0));

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

    const ctx = executionContextOf(c);
    const chosen = await modelToAnswer(registry, name, described.value.described, warmupPolicy(c.env?.WARMUP_POLICY), ctx && ((p) => ctx.waitUntil(p)));
    if (!chosen.ok) return problemResponse(chosen.problem);
    const { model, warming, justLoaded } = chosen.value;
    if (justLoaded && "loadTimings" in model && model.loadTimings) {
      for (const [phase, ms] of Object.entries(model.loadTimings)) setMetric(c, `load-${phase.replace(/_ms$/, "").replaceAll("_", "-")}`, ms);
    }

    // Looked up only once the model's files are verified. Identical questions to the same model get the same
    // answer: key = the parsed request (defaults applied, any key order) + the model's name and its whole
    // manifest (which holds the digest of every file).
    const ttl = cacheSeconds(c.env?.CACHE_TTL_SECONDS);
    const key = ttl > 0 ? await cacheKeyFor("v1/predict", { request: { ...request, model: name }, manifest: described.value.described.manifest }) : undefined;
    const cached = key && (await matchCached(key));
    if (cached) return cached;

    const response = await answerAtEdge(name, model, request, warming);
    response.timing!.total_ms = round(performance.now() - arrived);
    setMetric(c, "model", response.timing!.model_ms);
    const res = withCacheStatus(c.json(response, 200, { "cache-control": "no-store" }), "MISS");
    if (key && !response.degraded) {
      const write = storeCached(ctx, key, res, ttl);
      if (!ctx) await write; // no waitUntil (app.request in tests): finish the write before answering
    }
    return res;
  };
}
