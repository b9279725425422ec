// Optional API keys (secret API_KEYS, comma-separated; unset or empty leaves the API open). The key comes
// from `Authorization: Bearer <key>` or `x-api-key`. Keys are compared as SHA-256 digests in constant time,
// and only the digest of an accepted key travels on (as the rate-limit identity); keys are never logged.
import type { Context, MiddlewareHandler } from "hono";
import { problem, ProblemError } from "../../core/problem.ts";
import type { AppEnv } from "../env.ts";
import { digestsEqual, sha256, toHex } from "../../core/digest.ts";

export const WWW_AUTHENTICATE = 'Bearer realm="labor-llm-edge"';

/** The key the request presents, or null. */
export function presentedKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  const bearer = authorization && /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (bearer) return bearer[1]!;
  const header = headers.get("x-api-key")?.trim();
  return header || null;
}

// Digests of the configured keys, computed once per distinct API_KEYS value in this isolate.
let configured: { setting: string; digests: Promise<ArrayBuffer[]> } | undefined;

function configuredDigests(setting: string): Promise<ArrayBuffer[]> {
  if (configured?.setting !== setting) {
    const keys = setting.split(",").map((k) => k.trim()).filter(Boolean);
    configured = { setting, digests: Promise.all(keys.map(sha256)) };
  }
  return configured.digests;
}

const missingKey = () =>
  new ProblemError(
    problem("missing-api-key", "API key required", 401, "send an API key as `Authorization: Bearer <key>` or in the `x-api-key` header"),
    { "www-authenticate": WWW_AUTHENTICATE },
  );

const invalidKey = () => new ProblemError(problem("invalid-api-key", "Invalid API key", 403, "the API key presented is not valid"));

export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async (c: Context<AppEnv>, next) => {
    const setting = c.env?.API_KEYS?.trim();
    // Open API, and preflights (which never carry credentials).
    if (!setting || c.req.method === "OPTIONS") return next();
    const digests = await configuredDigests(setting);
    if (digests.length === 0) return next(); // only separators: no key configured
    const key = presentedKey(c.req.raw.headers);
    if (key === null) throw missingKey();
    const digest = await sha256(key);
    // Compare with every configured key, without stopping at a match.
    let ok = false;
    for (const expected of digests) ok = digestsEqual(digest, expected) || ok;
    if (!ok) throw invalidKey();
    c.set("apiKeyHash", toHex(digest));
    return next();
  };
}
