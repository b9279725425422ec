// npm run eval -- --dataset NAME [--json] [--panel FILE --taxonomy T] [--people N --seed S]
// Prints the quality table of every model on the dataset's test people (Markdown, or JSON with --json)
// and writes a calibration plot under out/eval/.
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { datasetOptionsFromArgs, DATASET_ARG_OPTIONS, loadDataset } from "./datasets.ts";
import { calibrationSvg } from "./eval/calibration-plot.ts";
import { evaluate, markdownTable } from "./eval/evaluate.ts";
import { repoPath } from "./lib/paths.ts";

const { values: args } = parseArgs({
  options: { ...DATASET_ARG_OPTIONS, json: { type: "boolean", default: false }, out: { type: "string" } },
});
const log = (message: string) => console.error(message);
const dataset = await loadDataset(datasetOptionsFromArgs(args), log);
const evaluation = evaluate(dataset, log);

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
  console.log(`\n${evaluation.first_year_rule}\nCalibration plot: ${plotFile}`);
}
