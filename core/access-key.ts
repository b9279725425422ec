// Who may call an API: a key presented as `Authorization: Bearer <key>` or in a named header, compared with
// the accepted keys as SHA-256 digests in constant time (with every key, without stopping at a match: fixed-
// size inputs leak neither content nor length). Missing: 401 with WWW-Authenticate; wrong: 403; both thrown
// as ProblemError for the app's onError. Keys are never logged; only an accepted key's digest travels on.
// The edge's optional API keys and the origin's shared secret are both this middleware.
import type { Context, Env, MiddlewareHandler } from "hono";
import { digestsEqual, sha256, toHex } from "./digest.ts";
import { ProblemError, type Problem } from "./problem.ts";

/** The key a request presents (the Bearer token, else the header's value, trimmed), or null. */
export function presentedKey(headers: Headers, header: string): string | null {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.get("authorization") ?? "");
  if (bearer) return bearer[1]!;
  return headers.get(header)?.trim() || null;
}

export interface KeyPolicy<E extends Env> {
  /** The header that carries the key when no Bearer token does. */
  header: string;
  /** The keys this request may present; none: no key needed. */
  keys: (c: Context<E>) => readonly string[];
  realm: string;
  missing: Problem;
  invalid: Problem;
  /** Told the accepted key's SHA-256 (hex), e.g. for the rate limit's identity. */
  accepted?: (c: Context<E>, digestHex: string) => void;
}

export function requireKey<E extends Env>(policy: KeyPolicy<E>): MiddlewareHandler<E> {
  // Digests of the configured keys, computed once per distinct list.
  let configured: { id: string; digests: Promise<ArrayBuffer[]> } | undefined;
  const digestsOf = (keys: readonly string[]) => {
    const id = keys.join("\n");
    if (configured?.id !== id) configured = { id, digests: Promise.all(keys.map((k) => sha256(k))) };
    return configured.digests;
  };
  return async (c, next) => {
    const keys = policy.keys(c);
    // Preflights never carry credentials.
    if (keys.length === 0 || c.req.method === "OPTIONS") return next();
    const digests = await digestsOf(keys);
    const key = presentedKey(c.req.raw.headers, policy.header);
    if (key === null) throw new ProblemError(policy.missing, { "www-authenticate": `Bearer realm="${policy.realm}"` });
    const digest = await sha256(key);
    let ok = false;
    for (const expected of digests) ok = digestsEqual(digest, expected) || ok;
    if (!ok) throw new ProblemError(policy.invalid);
    policy.accepted?.(c, toHex(digest));
    return next();
  };
}
