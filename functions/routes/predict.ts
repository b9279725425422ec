// POST /v1/predict: body -> request schema -> model -> request against the model -> cache, else the edge's
// answer (small model, or the baseline) -> routing (origin for "large", long or uncertain questions, with
// the edge's answer as the fallback). Every refusal is problem+json; the history is never logged.
import type { Context } from "hono";
import { LARGE_MODEL_ALIAS } from "../../core/contract.ts";
import { invalidRequest, problemResponse } from "../../core/problem.ts";
import { parseEdgePredictRequest } from "../../core/validate-request.ts";
import type { AppEnv } from "../env.ts";
import { bodyProblemHeaders, readJsonBody } from "../../core/json-body.ts";
import { sha256Hex } from "../../core/digest.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { crosswalksDigest } from "../../core/titles/shipped-crosswalks.ts";
import { cacheKeyFor, canonicalJson, executionContextOf, matchCached, storeCached, withCacheStatus } from "../http/response-cache.ts";
import { setMetric } from "../http/server-timing.ts";
import type { ModelRegistry } from "../models/registry.ts";
import { answerAtEdge } from "../predict/answer.ts";
import { roundMs } from "../../core/predict-response.ts";
import { describeFor, withCandidates } from "../predict/resolve.ts";
import { modelToAnswer, warmupPolicy } from "../predict/warm-up.ts";
import { routingConfig } from "../routing/config.ts";
import { route, type RoutingState } from "../routing/router.ts";

/** The model bytes are fixed per deployment and the key carries their digest: an hour is safe. */
const DEFAULT_CACHE_SECONDS = 3600;
/** A model's manifest digest, computed once per loaded manifest (not on every request's hot path). */
const manifestDigests = new WeakMap<ModelManifest, Promise<string>>();
function manifestDigest(manifest: ModelManifest): Promise<string> {
  let digest = manifestDigests.get(manifest);
  if (!digest) manifestDigests.set(manifest, (digest = sha256Hex(canonicalJson(manifest))));
  return digest;
}
const cacheSeconds = (value: string | undefined): number => (value === undefined || value === "" ? DEFAULT_CACHE_SECONDS : Math.max(0, Number(value) || 0));

export function predictHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string, routing: RoutingState) {
  return async (c: Context<AppEnv>) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw);
    if (!body.ok) return problemResponse(body.problem, bodyProblemHeaders(body.problem));
    const parsed = parseEdgePredictRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);
    // "large" is the default model, answered by the origin's large model.
    const wantLarge = parsed.value.model === LARGE_MODEL_ALIAS;

    const described = await describeFor(registry, wantLarge ? { ...parsed.value, model: undefined } : parsed.value, defaultModel(c.env));
    if (!described.ok) return problemResponse(described.problem);
    const { name, errors, request, understood, candidates } = described.value;
    if (errors.length) return problemResponse(withCandidates(invalidRequest(errors), candidates));

    const ctx = executionContextOf(c);
    const background = ctx && ((p: Promise<unknown>) => ctx.waitUntil(p));
    const chosen = await modelToAnswer(registry, name, described.value.described, warmupPolicy(c.env?.WARMUP_POLICY), background);
    if (!chosen.ok) return problemResponse(chosen.problem);
    const { model, warming, justLoaded } = chosen.value;
    if (justLoaded && "loadTimings" in model && model.loadTimings) {
      for (const [phase, ms] of Object.entries(model.loadTimings)) setMetric(c, `load-${phase.replace(/_ms$/, "").replaceAll("_", "-")}`, ms);
    }

    // Looked up only once the model's files are verified. Identical questions to the same model get the same
    // answer: key = the parsed request (defaults applied, any key order, "large" kept) + the model's name and
    // the digest of its manifest (which holds the digest of every file) and of the crosswalk tables (which
    // decide `understood` and `equivalents`).
    const ttl = cacheSeconds(c.env?.CACHE_TTL_SECONDS);
    const version = ttl > 0 ? `${await manifestDigest(described.value.described.manifest)}:${await crosswalksDigest()}` : undefined;
    const key = version ? await cacheKeyFor("v1/predict", { request: { ...parsed.value, model: wantLarge ? LARGE_MODEL_ALIAS : name }, version }) : undefined;
    const cached = key && (await matchCached(key));
    if (cached) return cached;

    const edge = await answerAtEdge(name, model, request, warming);
    setMetric(c, "edge", edge.response.timing!.model_ms);
    const response = await route({ state: routing, config: routingConfig(c.env), name, model: described.value.described, request, edge, wantLarge, background });
    if (understood.length) response.understood = understood;
    if (response.served_by === "origin") setMetric(c, "origin", response.timing!.total_ms);
    response.timing = { model_ms: response.timing!.model_ms, total_ms: roundMs(performance.now() - arrived) };
    const res = withCacheStatus(c.json(response, 200, { "cache-control": "no-store" }), "MISS");
    if (key && !response.degraded) {
      const write = storeCached(ctx, key, res, ttl);
      if (!ctx) await write; // no waitUntil (app.request in tests): finish the write before answering
    }
    return res;
  };
}
