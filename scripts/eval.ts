// npm run eval -- --dataset NAME [--json] [--panel FILE --taxonomy T] [--people N --seed S] [--model DIR]
// Prints the quality table of every model on the dataset's test people (Markdown, or JSON with --json)
// and writes a calibration plot under out/eval/. The baselines are fitted here; the language models are the
// shipped ONNX files of model/NAME/ (or --model DIR) when they were trained on exactly this data.
// --model none scores the baselines only, on the whole dataset.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { datasetOptionsFromArgs, DATASET_ARG_OPTIONS, limitPeople, loadDataset } from "./datasets.ts";
import { calibrationSvg } from "./eval/calibration-plot.ts";
import { evaluate, markdownTable, type ModelResult, type Scorer } from "./eval/evaluate.ts";
import { languageModelFiles, languageModelScorers } from "./eval/lm-scorers.ts";
import { repoPath } from "./lib/paths.ts";
import { panelFingerprint } from "./panel/panel-csv.ts";
import type { ModelManifest } from "../core/model-artifact.ts";
import type { LabelSet } from "../core/taxonomy.ts";
import type { Predictor } from "../core/predictors/index.ts";
import { describeEdgeEngine } from "./eval/edge-engine.ts";

const { values: args } = parseArgs({
  options: { ...DATASET_ARG_OPTIONS, json: { type: "boolean", default: false }, out: { type: "string" }, model: { type: "string" } },
});
const log = (message: string) => console.error(message);
const opts = datasetOptionsFromArgs(args);
// The shipped language models, if they were built from this very panel (same data fingerprint). A model
// built on the first N people (--limit-people) is evaluated on those people, as its build did.
const modelDir = args.model ?? repoPath("model", opts.dataset);
const manifestFile = path.join(modelDir, "manifest.json");
const manifest: ModelManifest | undefined = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, "utf8")) : undefined;
const full = await loadDataset(opts, log);
const dataset = manifest && manifest.data.people < full.panel.careers.length ? limitPeople(full, manifest.data.people) : full;
if (dataset !== full) log(`${modelDir} was built on the first ${manifest!.data.people} people: evaluating on them`);
const fingerprint = await panelFingerprint(dataset.panel);
const lm = manifest?.language_models && manifest.data.fingerprint === fingerprint ? manifest.language_models : undefined;
if (manifest?.language_models && !lm) log(`${modelDir}: trained on other data (fingerprint differs); its language models are not scored`);
const lmScorers = (labels: LabelSet, fallback: Predictor): Scorer[] =>
  lm
    ? languageModelScorers(languageModelFiles(modelDir, manifest!), labels, fallback)
    : [];
const evaluation = await evaluate(dataset, log, (prepared, edgeBaseline) => lmScorers(prepared.labels, edgeBaseline));
// Variants compared at build time but not shipped (panel-only and codes LMs): their recorded test metrics.
const recorded: ModelResult[] = lm
  ? Object.entries(manifest!.metrics)
      .filter(([name]) => !evaluation.results.some((r) => r.model === name))
      .map(([name, m]) => ({ model: `${name} *`, ...(m as Omit<ModelResult, "model" | "nll">), nll: Math.log(m.perplexity!) }))
  : [];
evaluation.results.push(...recorded);

const outDir = args.out ?? repoPath("out", "eval");
mkdirSync(outDir, { recursive: true });
const plotFile = `${outDir}/${evaluation.dataset}-calibration.svg`;
writeFileSync(
  plotFile,
  calibrationSvg(
    `Calibration on ${evaluation.dataset} test people`,
    Object.entries(evaluation.reliability).map(([name, bins]) => ({ name, bins })),
  ),
);

if (args.json) {
  const { reliability, baselines, labelSet, ...summary } = evaluation;
  console.log(JSON.stringify({ ...summary, ingest: dataset.panel.report, calibration_plot: plotFile, reliability }, null, 2));
} else {
  const { people } = evaluation;
  console.log(`## ${evaluation.dataset}: ${evaluation.labels} labels (${evaluation.taxonomy}), test people ${people.test} (train ${people.train}, validation ${people.validation})\n`);
  console.log(markdownTable(evaluation.results));
  if (recorded.length) console.log(`\n\* recorded by \`npm run build:model\` in ${path.relative(process.cwd(), manifestFile)} (variants not shipped).`);
  if (lm) console.log(`\n${describeEdgeEngine(lm.small)}`);
  console.log(`\n${evaluation.first_year_rule}\nCalibration plot: ${plotFile}`);
}

