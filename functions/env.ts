// The Worker's bindings, as configured in wrangler.toml ([vars], [[ratelimits]]) and its secrets.
import type { TimingVariables } from "hono/timing";

export interface Env {
  /** Model answering requests that name none. */
  DEFAULT_MODEL?: string;
  /** "baseline" (default) or "wait": what a request does while the small model loads (functions/predict/pipeline.ts). */
  WARMUP_POLICY?: string;
  /** Seconds identical prediction requests are answered from the Cache API; "0" turns the cache off. */
  CACHE_TTL_SECONDS?: string;
  /** The large-model origin (functions/routing/router.ts): base URL ("" = none), "native" or "openai". */
  ORIGIN_URL?: string;
  ORIGIN_PROTOCOL?: string;
  /** Secret shared with the origin (x-origin-secret, or the Bearer token for an OpenAI-compatible server). */
  ORIGIN_SECRET?: string;
  /** The model's name at the origin, when it differs (e.g. a vLLM served-model-name). */
  ORIGIN_MODEL?: string;
  ESCALATE_BELOW_MAX_PROB?: string;
  ESCALATE_ABOVE_ENTROPY_BITS?: string;
  /** "true" escalates questions with tokens unseen in training (default: keep them at the edge). */
  ESCALATE_UNSEEN_TOKENS?: string;
  SHADOW_FRACTION?: string;
  ORIGIN_TIMEOUT_MS?: string;
  ORIGIN_DEADLINE_MS?: string;
  ORIGIN_HEDGE_MS?: string;
  ORIGIN_RETRY_JITTER_MS?: string;
  BREAKER_FAILURES?: string;
  BREAKER_COOLDOWN_MS?: string;
  /** CORS allow-list: "*" or comma-separated origins (functions/app.ts). */
  ALLOWED_ORIGINS?: string;
  /** Secret: comma-separated API keys; unset or empty leaves the API open (functions/app.ts). */
  API_KEYS?: string;
  /** "off" turns the per-client limit off (load tests from one machine); otherwise it applies. */
  RATE_LIMIT?: string;
  /** Per-client limit on /v1/* (wrangler.toml [[ratelimits]]); absent, no limiting. */
  RATE_LIMITER?: RateLimit;
}

/** Per-request values: timing metrics (hono/timing), and the SHA-256 of an accepted API key. */
export type AppVariables = TimingVariables & { apiKeyHash?: string };

export type AppEnv = { Bindings: Env; Variables: AppVariables };
