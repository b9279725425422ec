// Edge cache for identical prediction requests (caches.default). The key is a synthetic GET URL carrying
// the SHA-256 of the request's canonical JSON (object keys sorted), so the same content in any key order
// hits the same entry. The caller decides what goes into `canonical` (the parsed request and whatever else
// the answer depends on, e.g. the model's manifest digest). Note: caches.default does nothing on
// *.workers.dev hosts, and is absent outside workerd (guarded: no cache, no error).
import { sha256Hex } from "../../core/digest.ts";

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
export function executionContextOf(c: { readonly executionCtx: Pick<ExecutionContext, "waitUntil"> }): Pick<ExecutionContext, "waitUntil"> | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
