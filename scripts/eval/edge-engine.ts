// Which engine the edge serves for a built model: its small model only where it beats the best baseline on the
// validation people, so a model built on any panel, however small, is never worse there than the baseline
// built on the same people. build-model.ts records the choice in the manifest; npm run eval prints it.
import type { ModelManifest } from "../../core/model-artifact.ts";
import type { Evaluation } from "./evaluate.ts";

type SmallModelEntry = NonNullable<ModelManifest["language_models"]>["small"];
export type EdgeChoice = Required<Pick<SmallModelEntry, "served" | "selection">>;

/** The small model's name among an evaluation's results (lm-scorers.ts). */
export const SMALL_MODEL = "small (edge)";

const round5 = (x: number): number => Number(x.toPrecision(5));

/** The choice from an evaluation that scored the small model on the validation people too. */
export function chooseEdgeEngine({ results, bestBaseline: baseline }: Pick<Evaluation, "results" | "bestBaseline">): EdgeChoice {
  const small = results.find((r) => r.model === SMALL_MODEL)!;
  const bestBaseline = results.find((r) => r.model === baseline)!;
  return {
    served: small.validation_nll! <= bestBaseline.validation_nll!,
    selection: { small_validation_nll: round5(small.validation_nll!), baseline: bestBaseline.model, baseline_validation_nll: round5(bestBaseline.validation_nll!) },
  };
}

/** The choice in words, and the validation NLLs it was made on. */
export function describeEdgeEngine(small: SmallModelEntry): string {
  const s = small.selection;
  if (!s) return "The edge serves the small model (built before the choice on validation people was recorded).";
  return small.served === false
    ? `The edge serves the ${s.baseline} baseline: it beat the small model on the validation people (NLL ${s.baseline_validation_nll} against ${s.small_validation_nll}).`
    : `The edge serves the small model: it beat the best baseline, ${s.baseline}, on the validation people (NLL ${s.small_validation_nll} against ${s.baseline_validation_nll}).`;
}
