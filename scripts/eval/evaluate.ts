// The evaluation harness: split a dataset by person, fit the baselines, score every model on the test
// people with the same examples, and (for the synthetic world) the Bayes-optimal floor.
import { createPredictor, type BaselineParams, type Predictor } from "../../core/predictors/index.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import { panelLabels } from "../panel/panel-labels.ts";
import { trainBaselines, type BaselineName } from "../baselines/train.ts";
import type { Dataset } from "../datasets.ts";
import { splitCareers, type Split } from "../lib/splits.ts";
import type { Career } from "../../core/career.ts";
import { examplesOf, type Example } from "./examples.ts";
import { computeMetrics, reliabilityBins, type Metrics, type ReliabilityBin } from "./metrics.ts";

export const FIRST_YEAR_RULE =
  "Each person's first observed year is not scored (no previous state); every later observed year is scored given all years before it.";

/** A model to score: a distribution for each example, in order (sync or async, e.g. ONNX). */
export interface Scorer {
  name: string;
  scoreAll(examples: readonly Example[]): Promise<ArrayLike<number>[]> | ArrayLike<number>[];
  /** Model-specific figures of the last scoreAll (e.g. the LM's probability mass outside the labels). */
  extraMetrics?: () => Record<string, number>;
  /** Also score the validation people (validation_nll): for a model that may be chosen over the baselines. */
  validation?: boolean;
}

export interface ModelResult extends Metrics {
  model: string;
  /** Mean probability the language model put outside the valid labels (before normalising over them). */
  outside_mass?: number;
  /** Questions longer than the language model's context, answered by the edge's baseline instead. */
  context_fallbacks?: number;
  /** Mean NLL on the validation people: what model selection may look at (never the test people). */
  validation_nll?: number;
}

/** The people and questions of a dataset, split by person. */
export interface Prepared {
  labels: LabelSet;
  careers: Record<Split, Career[]>;
  examples: Record<Split, Example[]>;
}

export function prepare(dataset: Dataset): Prepared {
  const { panel } = dataset;
  const labels = panelLabels(panel);
  const careers = splitCareers(panel.source, panel.careers);
  const examples = {
    train: examplesOf(careers.train, labels),
    validation: examplesOf(careers.validation, labels),
    test: examplesOf(careers.test, labels),
  };
  return { labels, careers, examples };
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
  /** The baseline with the best validation NLL: the edge's fallback, and what a small model must beat. */
  bestBaseline: BaselineName;
  labelSet: LabelSet;
}

function asScored(probs: readonly ArrayLike<number>[], examples: readonly Example[]) {
  if (probs.length !== examples.length) throw new Error(`${probs.length} distributions for ${examples.length} examples`);
  return examples.map((e, i) => ({ probs: probs[i]!, target: e.target, previous: e.previous }));
}

export function baselineScorers(baselines: Record<string, BaselineParams>, labels: LabelSet): Scorer[] {
  return Object.entries(baselines).map(([name, params]) => {
    const predictor = createPredictor(params, labels);
    return { name, scoreAll: (examples) => examples.map((e) => predictor.predict(e.ctx)) };
  });
}

/**
 * Scores the baselines (fitted here), then `extra` scorers (language models), then the Bayes-optimal
 * floor when the dataset knows its true process. Baselines also get their validation NLL (model selection).
 */
export async function evaluate(
  dataset: Dataset,
  log: (message: string) => void = () => {},
  /** `edgeBaseline`: the baseline with the best validation NLL, which the edge falls back to. */
  extra: (prepared: Prepared, edgeBaseline: Predictor) => Scorer[] = () => [],
): Promise<Evaluation> {
  const prepared = prepare(dataset);
  const { labels, careers, examples } = prepared;
  const { panel } = dataset;
  log(`${panel.source}: ${labels.size} labels; examples train ${examples.train.length}, validation ${examples.validation.length}, test ${examples.test.length}`);

  const baselines = trainBaselines(examples.train, examples.validation, labels, log);
  const results: ModelResult[] = [];
  const reliability: Record<string, ReliabilityBin[]> = {};
  const record = async (scorer: Scorer, withValidation: boolean) => {
    const t0 = performance.now();
    const scored = asScored(await scorer.scoreAll(examples.test), examples.test);
    const extraMetrics = scorer.extraMetrics?.(); // of the test run, before a validation run replaces them
    const validation_nll = withValidation
      ? computeMetrics(asScored(await scorer.scoreAll(examples.validation), examples.validation)).nll
      : undefined;
    results.push({
      model: scorer.name,
      ...computeMetrics(scored),
      ...(validation_nll === undefined ? {} : { validation_nll }),
      ...extraMetrics,
    });
    reliability[scorer.name] = reliabilityBins(scored);
    log(`${scorer.name}: scored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  for (const scorer of baselineScorers(baselines, labels)) await record(scorer, true);
  const best = results.reduce((a, b) => (b.validation_nll! < a.validation_nll! ? b : a));
  const edgeBaseline = createPredictor(baselines[best.model as BaselineName], labels);
  for (const scorer of extra(prepared, edgeBaseline)) await record(scorer, scorer.validation ?? false);
  const bayes = dataset.trueDistribution;
  if (bayes) await record({ name: "bayes-optimal", scoreAll: (ex) => ex.map((e) => bayes(e.ctx)) }, false);

  return {
    dataset: panel.source,
    taxonomy: panel.taxonomy,
    labels: labels.size,
    people: { train: careers.train.length, validation: careers.validation.length, test: careers.test.length },
    first_year_rule: FIRST_YEAR_RULE,
    results,
    reliability,
    baselines,
    bestBaseline: best.model as BaselineName,
    labelSet: labels,
  };
}

export function markdownTable(results: readonly ModelResult[]): string {
  const rows = [
    "| model | perplexity | top-1 | top-5 | ECE | ECE of noise alone | AUC (change) | predictions scored | mass outside labels | past the context (baseline answered) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.model} | ${r.perplexity.toFixed(3)} | ${pct(r.top1)} | ${pct(r.top5)} | ${r.ece.toFixed(4)} | ${r.ece_noise === undefined ? "" : r.ece_noise.toFixed(4)} | ${r.auc_change.toFixed(3)} | ${r.n} | ${r.outside_mass === undefined ? "" : pct(r.outside_mass)} | ${r.context_fallbacks ?? ""} |`,
    ),
  ];
  return rows.join("\n");
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
