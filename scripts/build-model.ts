// npm run build:model -- --dataset NAME [--panel FILE --taxonomy T] [--out DIR]
// Panel -> splits -> baselines -> evaluation -> model artifact in model/NAME/ (manifest with the sha256 of
// every file, the data fingerprint and the test metrics). The edge serves the baseline with the best
// validation likelihood until the language models of the next stage replace it.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ARTIFACT_FORMAT_VERSION, sha256Hex, type LabelsFile, type ModelManifest } from "../core/model-artifact.ts";
import { datasetOptionsFromArgs, DATASET_ARG_OPTIONS, loadDataset } from "./datasets.ts";
import { BASELINE_NAMES } from "./baselines/train.ts";
import { evaluate, markdownTable } from "./eval/evaluate.ts";
import { panelCsvText } from "./panel/panel-csv.ts";
import { repoPath } from "./lib/paths.ts";

const { values: args } = parseArgs({ options: { ...DATASET_ARG_OPTIONS, out: { type: "string" } } });
const log = (message: string) => console.error(message);
const opts = datasetOptionsFromArgs(args);
const dataset = await loadDataset(opts, log);
const evaluation = evaluate(dataset, log);
const { panel } = dataset;

const baselines = evaluation.results.filter((r) => (BASELINE_NAMES as readonly string[]).includes(r.model));
const best = baselines.reduce((a, b) => (b.validation_nll < a.validation_nll ? b : a));
log(`serving ${best.model} (validation NLL ${best.validation_nll.toFixed(4)})`);

const outDir = args.out ?? repoPath("model", opts.dataset);
mkdirSync(outDir, { recursive: true });
const encoder = new TextEncoder();
const labelsFile: LabelsFile = { taxonomy: evaluation.labelSet.taxonomy, labels: [...evaluation.labelSet.labels] };
const files: Record<string, Uint8Array> = {
  "labels.json": encoder.encode(JSON.stringify(labelsFile) + "\n"),
  "predictor.json": encoder.encode(JSON.stringify(evaluation.baselines[best.model as keyof typeof evaluation.baselines]) + "\n"),
};

const manifest: ModelManifest = {
  format_version: ARTIFACT_FORMAT_VERSION,
  name: opts.dataset,
  description: `${best.model} baseline trained on ${panel.source} (${panel.careers.length} people)`,
  taxonomy: panel.taxonomy,
  kind: `baseline:${best.model}`,
  source: panel.source,
  step_years: medianStep(panel.careers.flatMap((c) => c.history.slice(1).map((h, i) => h.year - c.history[i]!.year))),
  files: {},
  data: {
    dataset: panel.source,
    fingerprint: await sha256Hex(encoder.encode(panelCsvText(panel))),
    people: panel.careers.length,
    person_years: panel.report.personYears,
  },
  metrics: Object.fromEntries(
    evaluation.results.map(({ model, perplexity, top1, top5, ece, auc_change, n }) => [
      model,
      { perplexity: round(perplexity), top1: round(top1), top5: round(top5), ece: round(ece), auc_change: round(auc_change), n },
    ]),
  ),
};
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(path.join(outDir, name), bytes);
  manifest.files[name] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
}
writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(markdownTable(evaluation.results));
console.log(`\nwrote ${outDir} (${manifest.kind})`);

function medianStep(steps: number[]): number {
  if (steps.length === 0) return 1;
  const sorted = steps.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(x: number): number {
  return Number(x.toPrecision(5));
}
