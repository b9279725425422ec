// The output space of a model trained on a panel: its taxonomy's occupations (or its own code list's) and
// the special states that occur in it. What the corpus, the training, the evaluation and labels.json use.
import { isTaxonomyId, LabelSet } from "../../core/taxonomy.ts";
import type { Panel } from "./types.ts";

export function panelLabels(panel: Pick<Panel, "taxonomy" | "codeList" | "specialStates">): LabelSet {
  if (panel.codeList) return LabelSet.of(panel.codeList, panel.specialStates);
  if (!isTaxonomyId(panel.taxonomy)) throw new Error(`panel of ${panel.taxonomy} carries no code list`);
  return LabelSet.of(panel.taxonomy, panel.specialStates);
}
