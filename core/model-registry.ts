// The model folders a process can answer with, loaded lazily, once, in two levels:
//   verify(name): the folder's manifest, labels and baseline predictor, verified (cheap: for listings and
//                 request validation);
//   get(name):    the above plus what the runtime adds (the edge: the small model's inference session, the
//                 cold start, paid once; `loaders.full`).
// Later requests reuse the cached promise; a refusal is cached too, since the folder's bytes cannot change
// while the process lives.
import { problem, ProblemError } from "./problem.ts";
import { loadModel, type VerifiedModel, type ModelFiles } from "./load-model.ts";

export type ModelState = "not loaded" | "loading" | "ready" | "failed";

/** A model whose files fail verification: the 503 problem itself (the app's onError answers it). */
export class ModelUnavailableError extends ProblemError {
  override name = "ModelUnavailableError";
  readonly reason: string;
  constructor(model: string, reason: string) {
    super(problem("model-unavailable", "Model unavailable", 503, reason, { model }));
    this.reason = reason;
  }
}

export interface ModelRegistry<M extends VerifiedModel = VerifiedModel> {
  names(): string[];
  has(name: string): boolean;
  /** The state of the full model (get), which /health reports. */
  state(name: string): ModelState;
  verify(name: string): Promise<VerifiedModel>;
  /** The full model if it is loaded already (never starts a load). */
  ready(name: string): M | undefined;
  /** The loaded model; rejects with ModelUnavailableError when its files fail verification. */
  get(name: string): Promise<M>;
}

export interface Loaders<M extends VerifiedModel> {
  /** Default: core's loadModel. */
  verify?: (files: ModelFiles, name: string) => Promise<VerifiedModel>;
  full: (base: VerifiedModel, files: ModelFiles) => Promise<M>;
}

export function createModelRegistry<M extends VerifiedModel>(sources: Readonly<Record<string, ModelFiles>>, loaders: Loaders<M>): ModelRegistry<M> {
  const load = { verify: loadModel, ...loaders };
  const verified = new Map<string, Promise<VerifiedModel>>();
  const loaded = new Map<string, Promise<M>>();
  const states = new Map<string, ModelState>();
  const readyModels = new Map<string, M>();
  const unavailable = (name: string) => (error: unknown) => {
    throw error instanceof ModelUnavailableError ? error : new ModelUnavailableError(name, error instanceof Error ? error.message : String(error));
  };
  const has = (name: string) => Object.hasOwn(sources, name);

  const verify = (name: string): Promise<VerifiedModel> => {
    if (!has(name)) return Promise.reject(new ModelUnavailableError(name, "no such model"));
    let pending = verified.get(name);
    if (!pending) {
      pending = load.verify(sources[name]!, name).catch((error: unknown) => {
        states.set(name, "failed");
        return unavailable(name)(error);
      });
      verified.set(name, pending);
    }
    return pending;
  };

  return {
    names: () => Object.keys(sources),
    has,
    state: (name) => states.get(name) ?? "not loaded",
    verify,
    ready: (name) => readyModels.get(name),
    get(name) {
      let pending = loaded.get(name);
      if (!pending) {
        states.set(name, "loading");
        pending = verify(name)
          .then((base) => load.full(base, sources[name]!))
          .then(
            (model) => {
              states.set(name, "ready");
              readyModels.set(name, model);
              return model;
            },
            (error: unknown) => {
              states.set(name, "failed");
              return unavailable(name)(error);
            },
          );
        loaded.set(name, pending);
      }
      return pending;
    },
  };
}
