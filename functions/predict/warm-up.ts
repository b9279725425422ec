// What a request does while its model's small model is not loaded yet (the cold start of an isolate, about
// about half a second in `npm run bench`, mostly onnxruntime-web initialising its wasm runtime: docs/edge.md):
//   "baseline" (default): start loading in the background and answer now with the baseline predictor,
//                         marked degraded with the reason; later requests get the small model;
//   "wait":               wait for the small model.
// Set with the WARMUP_POLICY var in wrangler.toml.
import type { LoadedModel } from "../../core/load-model.ts";
import type { EdgeModel } from "../models/edge-model.ts";
import type { ModelRegistry } from "../models/registry.ts";
import { loadFor, type Resolved } from "./resolve.ts";
import { servesSmallModel } from "../../core/model-artifact.ts";

export type WarmupPolicy = "baseline" | "wait";

export const warmupPolicy = (value: string | undefined): WarmupPolicy => (value === "wait" ? "wait" : "baseline");

/** Long enough for the response to be written out (a 0 ms timer ran first and delayed it by the load). */
const LOAD_DELAY_MS = 25;

export const WARMING_REASON = "the small model is loading in this isolate (cold start): answered by the baseline predictor";

/**
 * The model to answer with now. Under "baseline", a model that is not loaded yet starts loading through
 * `background` (the request's waitUntil) and its verified folder answers meanwhile.
 */
export async function modelToAnswer(
  registry: ModelRegistry,
  name: string,
  described: LoadedModel,
  policy: WarmupPolicy,
  background: ((p: Promise<unknown>) => void) | undefined,
): Promise<Resolved<{ model: EdgeModel | LoadedModel; warming?: string; justLoaded: boolean }>> {
  const state = registry.state(name);
  if (policy === "baseline" && state !== "ready" && state !== "failed" && servesSmallModel(described.manifest)) {
    // Deferred until this answer has left: initialising the wasm runtime is ~0.5 s of synchronous work,
    // which would otherwise run between this request's awaits, or before its response is written, and hold
    // the answer back. A failure is reported by the next request.
    const loading = new Promise((resolve) => setTimeout(resolve, LOAD_DELAY_MS)).then(() => registry.get(name)).catch(() => {});
    background?.(loading);
    return { ok: true, value: { model: described, warming: WARMING_REASON, justLoaded: false } };
  }
  const loaded = await loadFor(registry, name);
  if (!loaded.ok) return loaded;
  return { ok: true, value: { model: loaded.value, justLoaded: state !== "ready" } };
}
