// The models this origin serves, by manifest name; the first one given is the default.
import { LARGE_MODEL_ALIAS } from "../core/contract.ts";
import { ProblemError, unknownModel } from "../core/problem.ts";
import type { OriginModel } from "./model-folder.ts";

export class ServedModels {
  readonly defaultName: string;
  private readonly byName = new Map<string, OriginModel>();

  constructor(models: readonly OriginModel[]) {
    if (models.length === 0) throw new Error("no model to serve");
    for (const m of models) {
      if (this.byName.has(m.name)) throw new Error(`two model folders are both named ${m.name} in their manifests`);
      this.byName.set(m.name, m);
    }
    this.defaultName = models[0]!.name;
  }

  all(): OriginModel[] {
    return [...this.byName.values()];
  }

  /** The named model (absent or "large": the default); a ProblemError 422 at `pointer` for another name. */
  resolve(requested: string | undefined, pointer: string): OriginModel {
    const name = requested === undefined || requested === LARGE_MODEL_ALIAS ? this.defaultName : requested;
    const model = this.byName.get(name);
    if (!model) throw new ProblemError(unknownModel(name, [...this.byName.keys()], { pointer }));
    return model;
  }
}
