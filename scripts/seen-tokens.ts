// npm run seen-tokens -- --dataset NAME: the token ids of the small model's training text (the train split's
// resumes), written to model/NAME/seen-tokens.json and listed in its manifest. The edge escalates a question
// whose prompt holds a token outside this set to the origin: the small model never learned what it means
// (an unusual year, a title from another taxonomy's text). build-model.ts writes it for new builds; this
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
import type { Panel } from "./panel/types.ts";

export const SEEN_TOKENS_FILE = "seen-tokens.json";

/** Sorted ids of every token in the train split's resume text (titles rendering). */
export function seenTokenIds(panel: Panel, tokenizer: ResumeTokenizer): number[] {
  const seen = new Set<number>();
  const text = corpusText(panel, splitCareers(panel.source, panel.careers).train, "titles");
  // Line by line: the same ids as the whole text (lines end with "\\n", a token boundary), and fast.
  for (const line of text.split("\n")) for (const id of tokenizer.encode(line + "\n")) seen.add(id);
  return [...seen].sort((a, b) => a - b);
}

/** Writes seen-tokens.json into a model folder and lists it in the manifest (sha256, size, small model). */
export async function addSeenTokens(dir: string, panel: Panel): Promise<number> {
  const manifestFile = path.join(dir, "manifest.json");
  const manifest: ModelManifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  const lm = manifest.language_models!;
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(path.join(dir, lm.tokenizer), "utf8")));
  const ids = seenTokenIds(panel, tokenizer);
  const bytes = new TextEncoder().encode(JSON.stringify(ids) + "\n");
  writeFileSync(path.join(dir, SEEN_TOKENS_FILE), bytes);
  manifest.files[SEEN_TOKENS_FILE] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
  lm.small.seen_tokens = SEEN_TOKENS_FILE;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  return ids.length;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { dataset: { type: "string" } } });
  if (!values.dataset) throw new Error("say which model: --dataset NAME (a folder of model/)");
  const dir = repoPath("model", values.dataset);
  const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
  const fingerprint = await panelFingerprint(dataset.panel);
  if (fingerprint !== manifest.data.fingerprint) throw new Error(`model ${values.dataset}: the panel here is not the one it was trained on`);
  console.log(`${dir}: ${await addSeenTokens(dir, dataset.panel)} token ids seen in training`);
}
