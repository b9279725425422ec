// The routing decision and its execution: the edge's answer is computed first (about a millisecond), then
//   - "requested" (model "large"), "context" (history past the small model's context), "unseen" (inputs
//     the small model never saw in training: a year past its data, an occupation no training career held, a
//     token outside its training text) and "uncertain" (the small model's
//     top probability or entropy past the thresholds) go to the origin;
//   - everything else is answered at the edge, and a SHADOW_FRACTION of it is also sent to the origin after
//     the response (waitUntil) to measure how often the two agree.
// When the origin cannot answer in time (circuit open, timeout, error, malformed answer), the edge's answer
// is returned, marked degraded with the reason: a request the edge can answer never fails because of the
// origin.
import type { PredictRequest, PredictResponse, RouteReason } from "../../core/contract.ts";
import type { VerifiedModel } from "../../core/load-model.ts";
import type { Unseen } from "../../core/small-model.ts";
import type { Env } from "../env.ts";
import { CircuitBreaker } from "./breaker.ts";
import { askOrigin, type OriginProtocol, type OriginTarget } from "./origin-client.ts";
import { OriginError, resilientCall, type CallBudget } from "./resilient-call.ts";

// ---- the settings, from wrangler.toml [vars] (and the ORIGIN_SECRET secret) ----
// Empty or absent values fall back to the defaults here; an empty ORIGIN_URL means there is no origin: the
// edge answers all. So does an ORIGIN_URL without ORIGIN_SECRET: no secret is ever assumed (the development
// one comes from `npm run dev` only).
export interface RoutingConfig {
  origin?: { url: string; protocol: OriginProtocol; secret: string; model?: string };
  /** Escalate when the small model's top probability is below this (0: never). */
  escalateBelowMaxProb: number;
  /** Escalate when the small model's entropy, in bits, is above this (Infinity: never). */
  escalateAboveEntropyBits: number;
  /** Escalate questions whose prompt holds tokens the small model never saw in training. */
  escalateUnseenTokens: boolean;
  /** Share of edge-answered requests also sent to the origin after the response, to measure agreement. */
  shadowFraction: number;
  budget: CallBudget;
  breaker: { failureThreshold: number; cooldownMs: number };
}

const num = (value: string | undefined, fallback: number): number => {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
};

export function routingConfig(env: Env | undefined): RoutingConfig {
  const url = env?.ORIGIN_URL?.trim().replace(/\/+$/, "");
  const secret = env?.ORIGIN_SECRET?.trim();
  return {
    origin: url && secret ? { url, protocol: env?.ORIGIN_PROTOCOL === "openai" ? "openai" : "native", secret, model: env?.ORIGIN_MODEL || undefined } : undefined,
    escalateBelowMaxProb: num(env?.ESCALATE_BELOW_MAX_PROB, 0),
    escalateAboveEntropyBits: num(env?.ESCALATE_ABOVE_ENTROPY_BITS, Infinity),
    escalateUnseenTokens: env?.ESCALATE_UNSEEN_TOKENS === "true",
    shadowFraction: Math.min(1, Math.max(0, num(env?.SHADOW_FRACTION, 0))),
    budget: {
      attemptTimeoutMs: num(env?.ORIGIN_TIMEOUT_MS, 1500),
      deadlineMs: num(env?.ORIGIN_DEADLINE_MS, 2500),
      hedgeAfterMs: num(env?.ORIGIN_HEDGE_MS, 0),
      retryJitterMs: num(env?.ORIGIN_RETRY_JITTER_MS, 100),
    },
    breaker: { failureThreshold: num(env?.BREAKER_FAILURES, 3), cooldownMs: num(env?.BREAKER_COOLDOWN_MS, 10_000) },
  };
}

// ---- the decision and its execution ----
/** The edge's own answer (predict/pipeline.ts), with what the decision reads. */
export interface EdgeAnswer {
  response: PredictResponse;
  /** The full distribution (label order), for the routing decision. */
  probs: ArrayLike<number>;
  /** The history was longer than the small model reads (the baseline answered). */
  pastContext: boolean;
  /** What of the question the small model never saw in training (undefined when unknown or not asked). */
  unseen?: Unseen;
}


/** Edge/origin agreement on shadowed requests, per isolate (no histories, only counts). */
export interface ShadowStats {
  sent: number;
  compared: number;
  failed: number;
  top1Agree: number;
  /** Sum of total variation distances between the two distributions, for the mean. */
  totalVariation: number;
}

export interface RoutingState {
  breaker(config: RoutingConfig): CircuitBreaker;
  shadow: ShadowStats;
}

export function createRoutingState(): RoutingState {
  let breaker: CircuitBreaker | undefined;
  return {
    // One breaker per isolate, made with the first request's settings (vars do not change while it lives).
    breaker: (config) => (breaker ??= new CircuitBreaker(config.breaker)),
    shadow: { sent: 0, compared: 0, failed: 0, top1Agree: 0, totalVariation: 0 },
  };
}

const entropyBits = (probs: ArrayLike<number>): number => {
  let h = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i]! > 0) h -= probs[i]! * Math.log2(probs[i]!);
  return h;
};

export function escalation(edge: EdgeAnswer, wantLarge: boolean, config: RoutingConfig): { reason: RouteReason; detail: string } {
  if (wantLarge) return { reason: "requested", detail: 'model "large" was asked for' };
  if (edge.pastContext) return { reason: "context", detail: "the history is longer than the small model reads" };
  if (edge.unseen && edge.unseen.count > 0 && config.escalateUnseenTokens) return { reason: "unseen", detail: `${edge.unseen.count} ${edge.unseen.what}` };
  let maxP = 0;
  for (let i = 0; i < edge.probs.length; i++) maxP = Math.max(maxP, edge.probs[i]!);
  const h = entropyBits(edge.probs);
  if (maxP < config.escalateBelowMaxProb)
    return { reason: "uncertain", detail: `top probability ${maxP.toFixed(3)} < ${config.escalateBelowMaxProb}` };
  if (h > config.escalateAboveEntropyBits)
    return { reason: "uncertain", detail: `entropy ${h.toFixed(2)} bits > ${config.escalateAboveEntropyBits}` };
  return { reason: "edge", detail: `top probability ${maxP.toFixed(3)}, entropy ${h.toFixed(2)} bits: within the thresholds` };
}

const withRoute = (response: PredictResponse, reason: RouteReason, detail: string): PredictResponse => ({ ...response, route: { reason, detail } });

function degraded(edge: PredictResponse, reason: RouteReason, detail: string, why: string): PredictResponse {
  const earlier = edge.reason ? `; ${edge.reason}` : "";
  return { ...withRoute(edge, reason, detail), degraded: true, reason: `${why}: answered at the edge${earlier}` };
}

export interface RouteArgs {
  state: RoutingState;
  config: RoutingConfig;
  name: string;
  model: VerifiedModel;
  request: PredictRequest;
  edge: EdgeAnswer;
  wantLarge: boolean;
  background?: (p: Promise<unknown>) => void;
}

export async function route({ state, config, name, model, request, edge, wantLarge, background }: RouteArgs): Promise<PredictResponse> {
  const decision = escalation(edge, wantLarge, config);
  const origin = config.origin;
  if (decision.reason === "edge" || !origin) {
    if (decision.reason === "edge" && origin && background && Math.random() < config.shadowFraction) background(shadow(state, config, origin, name, model, request, edge));
    if (decision.reason === "edge") return withRoute(edge.response, decision.reason, decision.detail);
    if (decision.reason === "requested") return degraded(edge.response, decision.reason, decision.detail, "no origin is configured");
    return withRoute(edge.response, decision.reason, `${decision.detail}; no origin is configured`);
  }

  const breaker = state.breaker(config);
  if (!breaker.allow()) return degraded(edge.response, decision.reason, decision.detail, `the origin's circuit is open (retry in ${breaker.retryInSeconds()} s)`);
  const target: OriginTarget = { ...origin, model: origin.model ?? name };
  const started = performance.now();
  try {
    const outcome = await resilientCall((signal) => askOrigin(target, model, name, request, signal), config.budget);
    breaker.success();
    const answered = outcome.value;
    return {
      ...withRoute({ ...answered, model: name, served_by: "origin" }, decision.reason, `${decision.detail}${outcome.attempts > 1 ? ` (${outcome.attempts} attempts)` : ""}`),
      timing: { model_ms: answered.timing?.model_ms ?? 0, total_ms: performance.now() - started },
    };
  } catch (error) {
    const failure = error instanceof OriginError ? error : new OriginError("network", String(error));
    // A refusal of this one request (422: e.g. too long for the large model too) says nothing about the origin's health.
    if (failure.status !== 422) breaker.failure();
    return degraded(edge.response, decision.reason, decision.detail, `the origin failed (${failure.kind}: ${failure.message})`);
  }
}

async function shadow(state: RoutingState, config: RoutingConfig, origin: NonNullable<RoutingConfig["origin"]>, name: string, model: VerifiedModel, request: PredictRequest, edge: EdgeAnswer): Promise<void> {
  const stats = state.shadow;
  const breaker = state.breaker(config);
  if (!breaker.allow()) return;
  stats.sent++;
  try {
    const { value } = await resilientCall((signal) => askOrigin({ ...origin, model: origin.model ?? name }, model, name, { ...request, full_distribution: true }, signal), { ...config.budget, hedgeAfterMs: 0 });
    breaker.success();
    const theirs = value.distribution ?? {};
    let tv = 0, edgeTop = 0, originTop = 0;
    model.labels.labels.forEach((label, i) => {
      tv += Math.abs((theirs[label.code] ?? 0) - edge.probs[i]!) / 2;
      if (edge.probs[i]! > edge.probs[edgeTop]!) edgeTop = i;
      if ((theirs[label.code] ?? 0) > (theirs[model.labels.labels[originTop]!.code] ?? 0)) originTop = i;
    });
    stats.compared++;
    stats.totalVariation += tv;
    if (edgeTop === originTop) stats.top1Agree++;
  } catch {
    breaker.failure();
    stats.failed++;
  }
}
