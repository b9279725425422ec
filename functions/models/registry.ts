// The models this isolate can answer with. Each is verified against its manifest and turned into a
// Predictor lazily, on its first use, once per isolate; later requests reuse the cached result (a refusal
// is cached too: the bundled bytes cannot change while the isolate lives).
import { loadModel, type LoadedModel, type ModelFiles } from "../../core/load-model.ts";

export type ModelState = "not loaded" | "loading" | "ready" | "failed";

export class ModelUnavailableError extends Error {
  override name = "ModelUnavailableError";
  readonly model: string;
  readonly reason: string;
  constructor(model: string, reason: string) {
    super(`model ${model} is unavailable: ${reason}`);
    this.model = model;
    this.reason = reason;
  }
}

export interface ModelRegistry {
  names(): string[];
  has(name: string): boolean;
  state(name: string): ModelState;
  /** The loaded model; rejects with ModelUnavailableError when its files fail verification. */
  get(name: string): Promise<LoadedModel>;
}

export function createModelRegistry(sources: Readonly<Record<string, ModelFiles>>, load = loadModel): ModelRegistry {
  const loads = new Map<string, Promise<LoadedModel>>();
  const states = new Map<string, ModelState>();
  return {
    names: () => Object.keys(sources),
    has: (name) => Object.hasOwn(sources, name),
    state: (name) => states.get(name) ?? "not loaded",
    get(name) {
      let pending = loads.get(name);
      if (!pending) {
        const files = sources[name];
        if (!Object.hasOwn(sources, name) || !files) return Promise.reject(new ModelUnavailableError(name, "no such model"));
        states.set(name, "loading");
        pending = load(files, name).then(
          (model) => {
            states.set(name, "ready");
            return model;
          },
          (error: unknown) => {
            states.set(name, "failed");
            throw new ModelUnavailableError(name, error instanceof Error ? error.message : String(error));
          },
        );
        loads.set(name, pending);
      }
      return pending;
    },
  };
}
