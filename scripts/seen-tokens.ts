// npm run seen-tokens -- --dataset NAME: what the small model saw in training, for the edge's "unseen"
// escalation (ESCALATE_UNSEEN_TOKENS): the years its training histories span and the states they hold,
// written into the manifest. The edge escalates a question outside them to the origin: the small model never
// learned what it means (an unusual year, an occupation no training career held). build-model.ts records it
// for new builds; this command adds it to an artifact built before.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ModelManifest } from "../core/model-artifact.ts";
import { limitPeople, loadDataset } from "./datasets.ts";
import { panelFingerprint } from "./panel/panel-csv.ts";
import { repoPath } from "./lib/paths.ts";
import { splitCareers } from "./lib/splits.ts";
import { panelLabels } from "./panel/panel-labels.ts";
import type { Panel } from "./panel/types.ts";
import type { LabelSet } from "../core/taxonomy.ts";

/** What a career model saw in training (the train split's histories): their years and their states. */
export function careerSeen(panel: Panel, labels: LabelSet): { years: [number, number]; states: number[] } {
  const entries = splitCareers(panel.source, panel.careers).train.flatMap((c) => c.history);
  const years = entries.map((h) => h.year);
  const states = [...new Set(entries.map((h) => labels.index(h.occupation)))].sort((a, b) => a - b);
  return { years: [years.reduce((a, b) => Math.min(a, b)), years.reduce((a, b) => Math.max(a, b))], states };
}

/** Records in a model folder's manifest what its small model saw in training, for the edge's "unseen"
 *  escalation. Returns a one-line summary. */
function addSeen(dir: string, panel: Panel): string {
  const manifestFile = path.join(dir, "manifest.json");
  const manifest: ModelManifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  const lm = manifest.language_models!;
  if (lm.small.input !== "career") throw new Error(`${dir}: its small model reads resume tokens, an input the edge no longer serves`);
  const labels = panelLabels(panel);
  lm.small.seen = careerSeen(panel, labels);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  return `years ${lm.small.seen.years.join("-")}, ${lm.small.seen.states.length} of ${labels.size} states seen in training`;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { dataset: { type: "string" } } });
  if (!values.dataset) throw new Error("say which model: --dataset NAME (a folder of model/)");
  const dir = repoPath("model", values.dataset);
  const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
  const fingerprint = await panelFingerprint(dataset.panel);
  if (fingerprint !== manifest.data.fingerprint) throw new Error(`model ${values.dataset}: the panel here is not the one it was trained on`);
  console.log(`${dir}: ${addSeen(dir, dataset.panel)}`);
}
