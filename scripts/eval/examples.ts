// The scored questions of a panel: every person-year after a person's first, asked with the history
// before it. The first observed year of a person is never scored (there is no previous state to condition
// on); the rule is the same for every model.
import type { Career } from "../../core/career.ts";
import type { PredictionContext } from "../../core/predictors/types.ts";
import type { LabelSet } from "../../core/taxonomy.ts";

export interface Example {
  ctx: PredictionContext;
  /** Label index of the observed next state. */
  target: number;
  /** Label index of the last observed state (for "changes occupation"). */
  previous: number;
}

export function examplesOf(careers: readonly Career[], labels: LabelSet): Example[] {
  const out: Example[] = [];
  for (const career of careers) {
    const h = career.history;
    for (let t = 1; t < h.length; t++) {
      out.push({
        ctx: { person: career.person, history: h.slice(0, t), nextYear: h[t]!.year },
        target: labels.index(h[t]!.occupation),
        previous: labels.index(h[t - 1]!.occupation),
      });
    }
  }
  return out;
}
