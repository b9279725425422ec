// Per-client rate limiting through the Workers rate-limit binding RATE_LIMITER (wrangler.toml
// [[ratelimits]]). The client is the accepted API key's SHA-256 (never the key itself), else the
// CF-Connecting-IP address. No binding (or RATE_LIMIT = "off", for load tests on one machine), no
// limiting. Over the limit: 429 problem+json with Retry-After.
import type { Context, MiddlewareHandler } from "hono";
import { problem, ProblemError } from "../../core/problem.ts";
import type { AppEnv } from "../env.ts";

/** The binding's period (wrangler.toml simple.period; the binding cannot report it). */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

export function clientIdentity(c: Context<AppEnv>): string {
  const keyHash = c.get("apiKeyHash");
  if (keyHash) return `key:${keyHash}`;
  return `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`;
}

export function rateLimit(periodSeconds = RATE_LIMIT_PERIOD_SECONDS): MiddlewareHandler<AppEnv> {
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
    throw new ProblemError(problem("rate-limited", "Too many requests", 429, `request limit exceeded; retry after ${periodSeconds} seconds`), {
      "retry-after": String(periodSeconds),
    });
  };
}
