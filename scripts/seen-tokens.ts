// npm run seen-tokens -- --dataset NAME: what the small model saw in training, for the edge's "unseen"
// escalation (ESCALATE_UNSEEN_TOKENS): for the career model the years its training histories span and the
// states they hold (in the manifest); for a token model the token ids of its training text (the train split's
// resumes), written to model/NAME/seen-tokens.json and listed in the manifest. The edge escalates a question
// outside them to the origin: the small model never learned what it means (an unusual year, an occupation no
// training career held, a title from another taxonomy's text). build-model.ts records it for new builds; this
// command adds it to an artifact built before.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sha256Hex } from "../core/digest.ts";
import type { ModelManifest } from "../core/model-artifact.ts";
import { loadTokenizer, type ResumeTokenizer } from "../core/tokenizer.ts";
import { corpusText } from "./corpus.ts";
import { limitPeople, loadDataset } from "./datasets.ts";
import { panelFingerprint } from "./panel/panel-csv.ts";
import { repoPath } from "./lib/paths.ts";
import { splitCareers } from "./lib/splits.ts";
import { panelLabels } from "./panel/panel-labels.ts";
import type { Panel } from "./panel/types.ts";
import type { LabelSet } from "../core/taxonomy.ts";

export const SEEN_TOKENS_FILE = "seen-tokens.json";

/** Sorted ids of every token in the train split's resume text (titles rendering). */
export function seenTokenIds(panel: Panel, tokenizer: ResumeTokenizer): number[] {
  const seen = new Set<number>();
  const text = corpusText(panel, splitCareers(panel.source, panel.careers).train, "titles");
  // Line by line: the same ids as the whole text (lines end with "\\n", a token boundary), and fast.
  for (const line of text.split("\n")) for (const id of tokenizer.encode(line + "\n")) seen.add(id);
  return [...seen].sort((a, b) => a - b);
}

/** What a career model saw in training (the train split's histories): their years and their states. */
export function careerSeen(panel: Panel, labels: LabelSet): { years: [number, number]; states: number[] } {
  const entries = splitCareers(panel.source, panel.careers).train.flatMap((c) => c.history);
  const years = entries.map((h) => h.year);
  const states = [...new Set(entries.map((h) => labels.index(h.occupation)))].sort((a, b) => a - b);
  return { years: [years.reduce((a, b) => Math.min(a, b)), years.reduce((a, b) => Math.max(a, b))], states };
}

/**
 * Records in a model folder what its small model saw in training, for the edge's "unseen" escalation: for the
 * career input the years and states (in the manifest), for the token input seen-tokens.json (listed in the
 * manifest with its sha256 and size). Returns a one-line summary.
 */
export async function addSeen(dir: string, panel: Panel): Promise<string> {
  const manifestFile = path.join(dir, "manifest.json");
  const manifest: ModelManifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  const lm = manifest.language_models!;
  if (lm.small.input === "career") {
    const labels = panelLabels(panel);
    lm.small.seen = careerSeen(panel, labels);
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
    return `years ${lm.small.seen.years.join("-")}, ${lm.small.seen.states.length} of ${labels.size} states seen in training`;
  }
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(path.join(dir, lm.tokenizer), "utf8")));
  const ids = seenTokenIds(panel, tokenizer);
  const bytes = new TextEncoder().encode(JSON.stringify(ids) + "\n");
  writeFileSync(path.join(dir, SEEN_TOKENS_FILE), bytes);
  manifest.files[SEEN_TOKENS_FILE] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
  lm.small.seen_tokens = SEEN_TOKENS_FILE;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  return `${ids.length} token ids seen in training`;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { dataset: { type: "string" } } });
  if (!values.dataset) throw new Error("say which model: --dataset NAME (a folder of model/)");
  const dir = repoPath("model", values.dataset);
  const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
  const fingerprint = await panelFingerprint(dataset.panel);
  if (fingerprint !== manifest.data.fingerprint) throw new Error(`model ${values.dataset}: the panel here is not the one it was trained on`);
  console.log(`${dir}: ${await addSeen(dir, dataset.panel)}`);
}
