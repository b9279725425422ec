// GET /health: liveness plus the models this Worker serves and whether each has been loaded yet (loading
// is lazy: a model shows "not loaded" until its first request), with where a loaded model's cold start went.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { wasmMemoryBytes } from "../models/ort-runtime.ts";
import type { ModelRegistry } from "../models/registry.ts";

export function healthHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string) {
  return (c: Context<AppEnv>) => {
    const models = registry.names().map((name) => ({ name, state: registry.state(name), load_ms: registry.ready(name)?.loadTimings }));
    const fallback = defaultModel(c.env);
    const degraded = !registry.has(fallback) || registry.state(fallback) === "failed";
    const wasm = wasmMemoryBytes();
    const runtime = wasm === undefined ? undefined : { wasm_memory_mib: Math.round((wasm / 2 ** 20) * 10) / 10 };
    return c.json({ status: degraded ? "degraded" : "ok", default_model: fallback, models, runtime }, 200, { "cache-control": "no-store" });
  };
}
