// What the Worker answers with: the verified model folder (labels, manifest, the baseline predictor) plus,
// when the folder ships one, the distilled small model running in onnxruntime-web.
import type { VerifiedModel, ModelFiles } from "../../core/load-model.ts";
import { servesSmallModel } from "../../core/model-artifact.ts";
import { createModelRegistry, type Loaders, type ModelRegistry } from "../../core/model-registry.ts";
import { loadSmallModel, type CreateRuntime, type SmallModelLoadTimings } from "../../core/load-small-model.ts";
import type { SmallModel } from "../../core/small-model.ts";
import { createOrtRuntime, wasmInstantiateMs } from "./ort-runtime.ts";

export interface EdgeModel extends VerifiedModel {
  /** The distilled small model; absent when the folder ships only the baseline predictor. */
  small?: SmallModel;
  /** Where the small model's load time went (the cold-start breakdown), when there is one; session_ms
   * includes wasm_instantiate_ms when this model's session was the isolate's first. */
  loadTimings?: SmallModelLoadTimings & { wasm_instantiate_ms?: number };
}

export async function loadEdgeModel(base: VerifiedModel, files: ModelFiles, createRuntime: CreateRuntime = createOrtRuntime): Promise<EdgeModel> {
  if (!servesSmallModel(base.manifest)) return base;
  const before = wasmInstantiateMs();
  const { model, timings } = await loadSmallModel(base, files, createRuntime);
  const instantiated = before === undefined ? wasmInstantiateMs() : undefined;
  return { ...base, small: model, loadTimings: instantiated === undefined ? timings : { ...timings, wasm_instantiate_ms: instantiated } };
}

/** The models an isolate answers with (core/model-registry.ts), each loaded as an EdgeModel on first use. */
export type EdgeRegistry = ModelRegistry<EdgeModel>;

export function edgeModelRegistry(sources: Readonly<Record<string, ModelFiles>>, loaders: Partial<Loaders<EdgeModel>> = {}): EdgeRegistry {
  return createModelRegistry(sources, { full: (base, files) => loadEdgeModel(base, files), ...loaders });
}
