// The evaluation harness: split a dataset by person, fit the baselines, score every model on the test
// people with the same examples, and (for the synthetic world) the Bayes-optimal floor.
import { createPredictor, type BaselineParams, type Predictor } from "../../core/predictors/index.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { trainBaselines, type BaselineName } from "../baselines/train.ts";
import type { Dataset } from "../datasets.ts";
import { splitCareers } from "../lib/splits.ts";
import { examplesOf, type Example } from "./examples.ts";
import { computeMetrics, reliabilityBins, type Metrics, type ReliabilityBin } from "./metrics.ts";

export const FIRST_YEAR_RULE =
  "Each person's first observed year is not scored (no previous state); every later observed year is scored given all years before it.";

export interface ModelResult extends Metrics {
  model: string;
  /** Mean NLL on the validation people: what model selection may look at (never the test people). */
  validation_nll: number;
}

export interface Evaluation {
  dataset: string;
  taxonomy: string;
  labels: number;
  people: { train: number; validation: number; test: number };
  first_year_rule: string;
  results: ModelResult[];
  reliability: Record<string, ReliabilityBin[]>;
  /** Fitted baseline parameters, for export as a model artifact. */
  baselines: Record<BaselineName, BaselineParams>;
  labelSet: LabelSet;
}

export function score(predict: (e: Example) => ArrayLike<number>, examples: readonly Example[]) {
  return examples.map((e) => ({ probs: predict(e), target: e.target, previous: e.previous }));
}

export function evaluate(dataset: Dataset, log: (message: string) => void = () => {}): Evaluation {
  const { panel } = dataset;
  const labels = LabelSet.of(panel.taxonomy, panel.specialStates);
  const split = splitCareers(panel.source, panel.careers);
  const [train, validation, test] = [split.train, split.validation, split.test].map((c) => examplesOf(c, labels));
  log(`${panel.source}: ${labels.size} labels; examples train ${train!.length}, validation ${validation!.length}, test ${test!.length}`);

  const baselines = trainBaselines(train!, validation!, labels, log);
  const models: [string, Predictor | ((e: Example) => ArrayLike<number>)][] = Object.entries(baselines).map(([name, params]) => [
    name,
    createPredictor(params, labels),
  ]);
  const bayes = dataset.trueDistribution;
  if (bayes) models.push(["bayes-optimal", (e: Example) => bayes(e.ctx)]);

  const results: ModelResult[] = [];
  const reliability: Record<string, ReliabilityBin[]> = {};
  for (const [name, model] of models) {
    const predict = typeof model === "function" ? model : (e: Example) => model.predict(e.ctx);
    const scored = score(predict, test!);
    const validation_nll = computeMetrics(score(predict, validation!)).nll;
    results.push({ model: name, ...computeMetrics(scored), validation_nll });
    reliability[name] = reliabilityBins(scored);
  }
  return {
    dataset: panel.source,
    taxonomy: panel.taxonomy,
    labels: labels.size,
    people: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    first_year_rule: FIRST_YEAR_RULE,
    results,
    reliability,
    baselines,
    labelSet: labels,
  };
}

export function markdownTable(results: readonly ModelResult[]): string {
  const rows = [
    "| model | perplexity | top-1 | top-5 | ECE | AUC (change) | predictions scored |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.model} | ${r.perplexity.toFixed(3)} | ${pct(r.top1)} | ${pct(r.top5)} | ${r.ece.toFixed(4)} | ${r.auc_change.toFixed(3)} | ${r.n} |`,
    ),
  ];
  return rows.join("\n");
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
