// GET /health: liveness plus the models this Worker serves and whether each has been loaded yet (loading
// is lazy: a model shows "not loaded" until its first request), with where a loaded model's cold start went.
import type { Context } from "hono";
import type { HealthResponse } from "../../core/contract.ts";
import type { AppEnv } from "../env.ts";
import { wasmMemoryBytes } from "../models/ort-runtime.ts";
import type { EdgeRegistry } from "../models/edge-model.ts";
import { routingConfig, type RoutingState } from "../routing/router.ts";

export function healthHandler(registry: EdgeRegistry, defaultModel: (env: AppEnv["Bindings"]) => string, routing?: RoutingState) {
  return (c: Context<AppEnv>) => {
    const models = registry.names().map((name) => ({ name, state: registry.state(name), load_ms: registry.ready(name)?.loadTimings }));
    const fallback = defaultModel(c.env);
    const degraded = !registry.has(fallback) || registry.state(fallback) === "failed";
    const wasm = wasmMemoryBytes();
    const runtime = wasm === undefined ? undefined : { wasm_memory_mib: Math.round((wasm / 2 ** 20) * 10) / 10 };
    const config = routingConfig(c.env);
    const shadow = routing?.shadow;
    const origin = config.origin && routing && {
      url: config.origin.url,
      protocol: config.origin.protocol,
      breaker: routing.breaker(config).current(),
      shadow: shadow && {
        sent: shadow.sent,
        compared: shadow.compared,
        failed: shadow.failed,
        top1_agreement: shadow.compared ? shadow.top1Agree / shadow.compared : undefined,
        mean_total_variation: shadow.compared ? shadow.totalVariation / shadow.compared : undefined,
      },
    };
    const body: HealthResponse = { status: degraded ? "degraded" : "ok", default_model: fallback, models, runtime, origin };
    return c.json(body, 200, { "cache-control": "no-store" });
  };
}
