// Only the edge may use the origin: every /v1/* request carries the shared secret, as x-origin-secret or as
// `Authorization: Bearer` (what OpenAI-style clients send). Missing -> 401, wrong -> 403, both problem+json.
import type { MiddlewareHandler } from "hono";
import { requireKey } from "../core/access-key.ts";
import { DEV_ORIGIN_SECRET, ORIGIN_SECRET_HEADER } from "../core/origin-protocol.ts";
import { problem } from "../core/problem.ts";

export interface ResolvedSecret {
  secret: string;
  /** The development default from core/origin-protocol.ts: fine on loopback, never in production. */
  isDevDefault: boolean;
}

const LOOPBACK = ["127.0.0.1", "::1", "localhost"];

/**
 * ORIGIN_SECRET, or the development default when unset; set-but-empty is a configuration mistake. The
 * development secret is public (it is in this repository): on an interface other than loopback it is refused,
 * so that no deployed origin can be used by anyone who reads the code.
 */
export function resolveSecret(env: NodeJS.ProcessEnv, host = "127.0.0.1"): ResolvedSecret {
  const value = env.ORIGIN_SECRET;
  if (value !== undefined && value.trim() === "") throw new Error("ORIGIN_SECRET is set but empty: set it to the secret the edge sends, or unset it for the development default");
  const resolved = value === undefined ? { secret: DEV_ORIGIN_SECRET, isDevDefault: true } : { secret: value, isDevDefault: value === DEV_ORIGIN_SECRET };
  if (resolved.isDevDefault && !LOOPBACK.includes(host))
    throw new Error(`refusing to listen on ${host} with the public development secret: set ORIGIN_SECRET to the secret the edge sends (or listen on 127.0.0.1)`);
  return resolved;
}

/** Every /v1/* request presents the secret (core/access-key.ts). */
export function requireSecret(secret: string): MiddlewareHandler {
  return requireKey({
    header: ORIGIN_SECRET_HEADER,
    keys: () => [secret],
    realm: "origin",
    missing: problem("unauthorized", "Unauthorized", 401, `send the origin's shared secret in the ${ORIGIN_SECRET_HEADER} header (or as Authorization: Bearer)`),
    invalid: problem("forbidden", "Forbidden", 403, "the origin secret is not the one this origin was started with"),
  });
}
