// npm run corpus -- --dataset NAME [--rendering titles|codes] [--out DIR]
// Writes the resume corpus of a dataset, one file per split: resumes separated by a blank line (.txt) and
// as training records with the label of every year line (.jsonl). The text
// comes from core/resume.ts only, so training sees exactly what the edge and the origin will render.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Career } from "../core/career.ts";
import { CAREER_VOCAB, careerSteps } from "../core/career-steps.ts";
import { continuationText, renderResume, type Rendering } from "../core/resume.ts";
import { datasetOptionsFromArgs, DATASET_ARG_OPTIONS, loadDataset } from "./datasets.ts";
import { repoPath } from "./lib/paths.ts";
import { splitCareers } from "./lib/splits.ts";
import { panelLabels } from "./panel/panel-labels.ts";
import type { Panel } from "./panel/types.ts";

export function corpusText(panel: Panel, careers: readonly Career[], rendering: Rendering): string {
  const labels = panelLabels(panel);
  return careers.map((c) => renderResume(panel.source, c, labels, { rendering })).join("\n");
}

/** Training records for scripts/lm: the resume text and the label index of each of its year lines. */
export function corpusRecords(panel: Panel, careers: readonly Career[], rendering: Rendering): string {
  const labels = panelLabels(panel);
  return careers
    .map((c) =>
      JSON.stringify({
        id: c.id,
        text: renderResume(panel.source, c, labels, { rendering }),
        labels: c.history.map((h) => labels.index(h.occupation)),
      }) + "\n",
    )
    .join("");
}

/** Training records for the career edge model (scripts/lm/train_career.py): each career as steps. */
export function careerRecords(panel: Panel, careers: readonly Career[]): string {
  const labels = panelLabels(panel);
  return careers.map((c) => JSON.stringify({ id: c.id, ...careerSteps(c.person, c.history, labels) }) + "\n").join("");
}

/** The sizes the career model's embeddings need: labels and each covariate's categories. */
export function careerVocab(panel: Panel): string {
  return JSON.stringify({ labels: panelLabels(panel).size, ...CAREER_VOCAB }) + "\n";
}

/** The label set with the text that follows a prompt for each label: what the LM scores. */
export function corpusLabels(panel: Panel, rendering: Rendering) {
  const labels = panelLabels(panel);
  return {
    taxonomy: labels.taxonomy,
    rendering,
    labels: labels.labels.map((l) => ({ code: l.code, title: l.title, continuation: continuationText(labels, l.code, rendering) })),
  };
}

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: { ...DATASET_ARG_OPTIONS, rendering: { type: "string", default: "titles" }, out: { type: "string" } },
  });
  if (args.rendering !== "titles" && args.rendering !== "codes") throw new Error("--rendering is titles or codes");
  const opts = datasetOptionsFromArgs(args);
  const { panel } = await loadDataset(opts, console.error);
  const outDir = args.out ?? repoPath("out", "corpus", opts.dataset, args.rendering);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "labels.json"), JSON.stringify(corpusLabels(panel, args.rendering), null, 1) + "\n");
  for (const [split, careers] of Object.entries(splitCareers(panel.source, panel.careers))) {
    const file = path.join(outDir, `${split}.txt`);
    writeFileSync(file, corpusText(panel, careers, args.rendering));
    writeFileSync(path.join(outDir, `${split}.jsonl`), corpusRecords(panel, careers, args.rendering));
    console.log(`${file} (+ .jsonl): ${careers.length} resumes`);
  }
}
