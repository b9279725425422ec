// The routing layer's settings, from wrangler.toml [vars] (and the ORIGIN_SECRET secret). Empty or absent
// values fall back to the defaults here; an empty ORIGIN_URL means there is no origin: the edge answers all.
// So does an ORIGIN_URL without ORIGIN_SECRET: no secret is ever assumed (the development one comes from
// `npm run dev` only).
import type { Env } from "../env.ts";
import type { OriginProtocol } from "./origin-client.ts";
import type { CallBudget } from "./resilient-call.ts";

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
