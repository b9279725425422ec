// CORS for browser callers (job-board widgets), with an allow-list from ALLOWED_ORIGINS: "*" or a
// comma-separated list of origins. A disallowed origin gets no Access-Control-Allow-Origin; the browser then
// withholds the answer. Preflights are answered here, before any API-key check (browsers send no
// credentials with them).
import { cors } from "hono/cors";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/** Headers a browser script may read: timings, rate-limit advice and the response-cache status. */
export const EXPOSED_HEADERS = ["Server-Timing", "Retry-After", "X-Cache"];

export const ALLOWED_REQUEST_HEADERS = ["content-type", "authorization", "x-api-key"];

const parsed = new Map<string, "*" | Set<string>>();

/** "*" or the set of allowed origins, normalised as browsers send them (scheme://host[:port]). */
export function allowedOrigins(setting: string | undefined): "*" | Set<string> {
  const raw = setting?.trim() || "*";
  let result = parsed.get(raw);
  if (result) return result;
  const entries = raw.split(",").map((s) => s.trim()).filter(Boolean);
  result = entries.includes("*") ? "*" : new Set(entries.map(normaliseOrigin));
  parsed.set(raw, result);
  return result;
}

function normaliseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

export function corsPolicy(): MiddlewareHandler<AppEnv> {
  return cors({
    origin: (origin, c) => {
      const allowed = allowedOrigins((c.env as AppEnv["Bindings"] | undefined)?.ALLOWED_ORIGINS);
      if (allowed === "*") return "*";
      return allowed.has(origin) ? origin : null;
    },
    allowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
    allowHeaders: ALLOWED_REQUEST_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
