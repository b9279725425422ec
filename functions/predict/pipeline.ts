// The one question pipeline of POST /v1/predict and /v1/predict/batch:
//   request -> verified model -> resolved history -> cached answer (the edge's model, then the router's
//   origin call where it escalates) -> response.
// A refusal is thrown as a ProblemError where it is found (the app's onError answers it). The cache key and
// the load timings are set here, for single and batch questions alike. Histories are never logged.
import type { Context } from "hono";
import { setMetric } from "hono/timing";
import { LARGE_MODEL_ALIAS, type EdgePredictRequest, type PredictRequest, type PredictResponse, type UnderstoodEntry } from "../../core/contract.ts";
import { sha256Hex } from "../../core/digest.ts";
import { needsTitleIndex, resolveHistory } from "../../core/history-input.ts";
import type { VerifiedModel } from "../../core/load-model.ts";
import { servesSmallModel, type ModelManifest } from "../../core/model-artifact.ts";
import { ModelUnavailableError } from "../../core/model-registry.ts";
import { buildPredictResponse, predictionContext, roundMs } from "../../core/predict-response.ts";
import { ContextTooLongError } from "../../core/predictors/types.ts";
import type { Unseen } from "../../core/small-model.ts";
import { invalidRequest, notServedDetail, ProblemError, unknownModel } from "../../core/problem.ts";
import { titleIndexOf } from "../../core/titles/index.ts";
import { crosswalksDigest } from "../../core/titles/shipped-crosswalks.ts";
import { validateAgainstModel } from "../../core/validate-request.ts";
import type { AppEnv, Env } from "../env.ts";
import type { EdgeModel, EdgeRegistry } from "../models/edge-model.ts";
import { SHIPPED_TITLE_INDEX } from "../models/shipped.js";
import { route, routingConfig, type EdgeAnswer, type RoutingState } from "../routing/router.ts";

export interface Pipeline {
  registry: EdgeRegistry;
  routing: RoutingState;
  defaultModel: (env: Env | undefined) => string;
}

/** A question checked against the model that will answer it. */
export interface Question {
  /** The request as parsed (defaults applied): what the cache keys on. */
  input: EdgePredictRequest;
  /** "large" was asked for: the default model, answered by the origin. */
  wantLarge: boolean;
  name: string;
  /** The model's verified folder (labels, manifest, baseline). */
  verified: VerifiedModel;
  /** The request in the model's codes. */
  request: PredictRequest;
  understood: UnderstoodEntry[];
}

/**
 * The model a request names (or the default) with its verified labels; the history's titles and codes of
 * other systems turned into the model's codes; the request checked against the model. A field error is a
 * ProblemError 422 whose pointers carry `prefix` (a batch's "/requests/i"), with the best `candidates` of
 * entries that could not be read with confidence.
 */
export async function resolveQuestion({ registry, defaultModel }: Pipeline, env: Env | undefined, input: EdgePredictRequest, prefix = ""): Promise<Question> {
  const wantLarge = input.model === LARGE_MODEL_ALIAS;
  const named = wantLarge ? undefined : input.model;
  const name = named ?? defaultModel(env);
  if (!registry.has(name)) {
    if (named === undefined) throw new ModelUnavailableError(name, `the configured default ${notServedDetail(name, registry.names())}`);
    throw new ProblemError(unknownModel(name, registry.names(), { pointer: `${prefix}/model` }));
  }
  const verified = await registry.verify(name); // a 503 ModelUnavailableError when its files fail verification
  const resolved = resolveHistory(input, verified.labels, needsTitleIndex(input) && verified.labels.builtIn ? titleIndexOf(SHIPPED_TITLE_INDEX) : undefined, prefix);
  if (!resolved.ok) {
    const candidates = Object.fromEntries(resolved.candidates.map((c) => [c.pointer, c.candidates]));
    throw new ProblemError({ ...invalidRequest(resolved.errors), ...(resolved.candidates.length ? { candidates } : {}) });
  }
  const errors = validateAgainstModel(resolved.request, verified.labels, new Date().getUTCFullYear()).map((e) => ({ ...e, pointer: prefix + e.pointer }));
  if (errors.length) throw new ProblemError(invalidRequest(errors));
  return { input, wantLarge, name, verified, request: resolved.request, understood: resolved.understood };
}

// ---- warm-up: what a question does while its model's small model is not loaded yet ----
// The cold start of an isolate (about half a second, mostly onnxruntime-web initialising its wasm runtime:
// docs/edge.md). WARMUP_POLICY "baseline" (default): start loading in the background and answer now with the
// baseline predictor, marked degraded with the reason; "wait": wait for the small model.
export type WarmupPolicy = "baseline" | "wait";
export const warmupPolicy = (value: string | undefined): WarmupPolicy => (value === "wait" ? "wait" : "baseline");
/** Long enough for the response to be written out (a 0 ms timer ran first and delayed it by the load). */
const LOAD_DELAY_MS = 25;
export const WARMING_REASON = "the small model is loading in this isolate (cold start): answered by the baseline predictor";

async function modelToAnswer(
  registry: EdgeRegistry,
  q: Question,
  policy: WarmupPolicy,
  background: ((p: Promise<unknown>) => void) | undefined,
): Promise<{ model: EdgeModel | VerifiedModel; warming?: string; justLoaded: boolean }> {
  const state = registry.state(q.name);
  if (policy === "baseline" && state !== "ready" && state !== "failed" && servesSmallModel(q.verified.manifest)) {
    // Deferred until this answer has left: initialising the wasm runtime is ~0.5 s of synchronous work,
    // which would otherwise run between this request's awaits, or before its response is written, and hold
    // the answer back. A failure is reported by the next request.
    const loading = new Promise((resolve) => setTimeout(resolve, LOAD_DELAY_MS)).then(() => registry.get(q.name)).catch(() => {});
    background?.(loading);
    return { model: q.verified, warming: WARMING_REASON, justLoaded: false };
  }
  const model = await registry.get(q.name);
  return { model, justLoaded: state !== "ready" };
}

// ---- the edge's own answer ----
/**
 * The small model's answer when the model folder serves one, it is loaded and the history fits its context;
 * else the baseline predictor's, said plainly (engine, degraded, reason). `model` is the loaded edge model,
 * or only its verified folder while the small model is still loading (`warming` then says so).
 */
export async function answerAtEdge(name: string, model: EdgeModel | VerifiedModel, request: PredictRequest, warming?: string): Promise<EdgeAnswer> {
  const started = performance.now();
  const ctx = predictionContext(request, model.manifest);
  const small = "small" in model ? model.small : undefined;
  let probs: ArrayLike<number> | undefined;
  let engine = "small";
  let reason = warming;
  let pastContext = false;
  let unseen: Unseen | undefined;
  if (small && !warming) {
    try {
      ({ probs, unseen } = await small.answer(ctx));
    } catch (e) {
      if (!(e instanceof ContextTooLongError)) throw e;
      reason = `${e.message}: answered by the baseline predictor`;
      pastContext = true;
    }
  }
  if (!probs) {
    probs = model.predictor.predict(ctx);
    engine = `baseline:${model.predictor.name}`;
  }
  const response = buildPredictResponse({ model: name, servedBy: "edge", engine, labels: model.labels, request, nextYear: ctx.nextYear, probs });
  if (reason) Object.assign(response, { degraded: true, reason });
  response.timing = { model_ms: roundMs(performance.now() - started), total_ms: 0 };
  return { response, probs, pastContext, unseen };
}

// ---- the cache ----
// Identical prediction requests are answered from the edge cache (caches.default). The key is a synthetic GET
// URL carrying the SHA-256 of the request's canonical JSON (object keys sorted), so the same content in any
// key order hits the same entry. caches.default does nothing on *.workers.dev hosts, and is absent outside
// workerd (guarded: no cache, no error).
const CACHE_ORIGIN = "https://cache.labor-llm-edge.internal";

export type CacheStatus = "HIT" | "MISS";

/** Headers that belong to one request and must not be replayed from the cache to another caller. */
const PER_REQUEST_HEADERS = ["server-timing", "x-cache", "set-cookie", "vary", "timing-allow-origin"];

/** JSON with object keys sorted at every depth (arrays keep their order); undefined members are dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

export async function cacheKeyFor(path: string, canonical: unknown): Promise<Request> {
  const hash = await sha256Hex(canonicalJson(canonical));
  const segment = path.replace(/^\/+|\/+$/g, "");
  return new Request(`${CACHE_ORIGIN}/${segment ? segment + "/" : ""}${hash}`, { method: "GET" });
}

function defaultCache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : caches.default;
}

/** A mutable copy without per-request headers (CORS, timings, cache status). */
function portable(response: Response): Response {
  const copy = new Response(response.body, response);
  for (const name of [...copy.headers.keys()]) if (name.startsWith("access-control-")) copy.headers.delete(name);
  for (const name of PER_REQUEST_HEADERS) copy.headers.delete(name);
  return copy;
}

/** The response marked with `x-cache: HIT` or `MISS` (a copy: the original's headers may be immutable). */
export function withCacheStatus(response: Response, status: CacheStatus): Response {
  const copy = new Response(response.body, response);
  copy.headers.set("x-cache", status);
  return copy;
}

/** The cached response for `key`, marked HIT and with its max-age replaced by no-store (the max-age is
 *  for the edge cache only), or undefined. */
export async function matchCached(key: Request): Promise<Response | undefined> {
  const cache = defaultCache();
  if (!cache) return undefined;
  const hit = await cache.match(key);
  if (!hit) return undefined;
  const response = withCacheStatus(portable(hit), "HIT");
  response.headers.set("cache-control", "no-store");
  return response;
}

/** Stores a copy of `response` (a 200) for `maxAgeSeconds`; `response` itself stays usable. With an
 *  execution context the write finishes after the response is sent (waitUntil); the promise is returned
 *  either way. */
export function storeCached(
  ctx: Pick<ExecutionContext, "waitUntil"> | undefined,
  key: Request,
  response: Response,
  maxAgeSeconds: number,
): Promise<void> {
  const cache = defaultCache();
  if (!cache || response.status !== 200 || maxAgeSeconds <= 0) return Promise.resolve();
  const copy = portable(response.clone());
  copy.headers.set("cache-control", `public, max-age=${Math.floor(maxAgeSeconds)}`);
  const write = cache.put(key, copy).catch(() => {
    // A failed cache write costs a recomputation later, nothing else.
  });
  ctx?.waitUntil(write);
  return write;
}

/** The request's execution context for storeCached, or undefined where there is none (app.request in
 *  tests): hono's getter throws in that case. */
function executionContextOf(c: { readonly executionCtx: Pick<ExecutionContext, "waitUntil"> }): Pick<ExecutionContext, "waitUntil"> | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** The model bytes are fixed per deployment and the key carries their digest: an hour is safe. */
const DEFAULT_CACHE_SECONDS = 3600;
const cacheSeconds = (value: string | undefined): number => (value === undefined || value === "" ? DEFAULT_CACHE_SECONDS : Math.max(0, Number(value) || 0));
/** A model's manifest digest, computed once per loaded manifest (not on every request's hot path). */
const manifestDigests = new WeakMap<ModelManifest, Promise<string>>();
function manifestDigest(manifest: ModelManifest): Promise<string> {
  let digest = manifestDigests.get(manifest);
  if (!digest) manifestDigests.set(manifest, (digest = sha256Hex(canonicalJson(manifest))));
  return digest;
}

/**
 * Identical questions to the same model get the same answer: the key is the parsed request (defaults applied,
 * any key order, "large" kept) + the model's name, the digest of its manifest (which holds the digest of every
 * file) and of the crosswalk tables (which decide `understood` and `equivalents`). Undefined: caching is off.
 */
async function cacheKey(q: Question, ttl: number): Promise<Request | undefined> {
  if (ttl <= 0) return undefined;
  const version = `${await manifestDigest(q.verified.manifest)}:${await crosswalksDigest()}`;
  return cacheKeyFor("v1/predict", { request: { ...q.input, model: q.wantLarge ? LARGE_MODEL_ALIAS : q.name }, version });
}

/**
 * The answer to a resolved question, from the cache or computed now (the model that answers now, the edge's
 * answer, then the router), with its load and model timings in Server-Timing and its total time counted from
 * `arrived` (when the request came in). A non-degraded answer is cached as it was sent.
 */
export async function answerQuestion<E extends AppEnv>({ registry, routing }: Pipeline, c: Context<E>, q: Question, arrived: number): Promise<{ response: PredictResponse; cache: CacheStatus }> {
  const ctx = executionContextOf(c);
  const background = ctx && ((p: Promise<unknown>) => ctx.waitUntil(p));
  const chosen = await modelToAnswer(registry, q, warmupPolicy(c.env?.WARMUP_POLICY), background);
  if (chosen.justLoaded && "loadTimings" in chosen.model && chosen.model.loadTimings) {
    for (const [phase, ms] of Object.entries(chosen.model.loadTimings)) setMetric(c, `load-${phase.replace(/_ms$/, "").replaceAll("_", "-")}`, ms);
  }
  // Looked up only once the model's files are verified.
  const ttl = cacheSeconds(c.env?.CACHE_TTL_SECONDS);
  const key = await cacheKey(q, ttl);
  const cached = key && (await matchCached(key));
  if (cached) return { response: (await cached.json()) as PredictResponse, cache: "HIT" };

  const edge = await answerAtEdge(q.name, chosen.model, q.request, chosen.warming);
  setMetric(c, "edge", edge.response.timing!.model_ms);
  const response = await route({ state: routing, config: routingConfig(c.env), name: q.name, model: q.verified, request: q.request, edge, wantLarge: q.wantLarge, background });
  if (q.understood.length) response.understood = q.understood;
  if (response.served_by === "origin") setMetric(c, "origin", response.timing!.total_ms);
  response.timing = { model_ms: response.timing!.model_ms, total_ms: roundMs(performance.now() - arrived) };
  if (key && !response.degraded) {
    const write = storeCached(ctx, key, Response.json(response), ttl);
    if (!ctx) await write; // no waitUntil (app.request in tests): finish the write before answering
  }
  return { response, cache: "MISS" };
}
