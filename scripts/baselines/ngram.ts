// Count-based n-gram (order 1 = first-order Markov) with the backoff of core/predictors/ngram.ts; the
// order and the Dirichlet alpha are chosen on the validation people.
import { contextKey, ngramPredictor, type NgramParams } from "../../core/predictors/ngram.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import type { Example } from "../eval/examples.ts";
import { smoothedFrequencies } from "./frequency.ts";

export const ALPHA_GRID = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000];

export function countNgrams(train: readonly Example[], labels: LabelSet, order: number, alpha: number): NgramParams {
  const counts = new Map<string, Map<number, number>>();
  for (const e of train) {
    const past = e.ctx.history.slice(-order).map((h) => labels.index(h.occupation));
    for (let n = 1; n <= past.length; n++) {
      const key = contextKey(past.slice(past.length - n));
      let row = counts.get(key);
      if (!row) counts.set(key, (row = new Map()));
      row.set(e.target, (row.get(e.target) ?? 0) + 1);
    }
  }
  const contexts: NgramParams["contexts"] = {};
  for (const [key, row] of counts) contexts[key] = [...row].sort((a, b) => a[0] - b[0]);
  return { kind: "ngram", order, alpha, unigram: smoothedFrequencies(train, labels), contexts };
}

function meanNll(params: NgramParams, labels: LabelSet, examples: readonly Example[]): number {
  const predictor = ngramPredictor(params, labels);
  let nll = 0;
  for (const e of examples) nll -= Math.log(predictor.predict(e.ctx)[e.target]!);
  return nll / examples.length;
}

/** The best alpha (and order, among `orders`) by validation negative log-likelihood. */
export function trainNgram(
  train: readonly Example[],
  validation: readonly Example[],
  labels: LabelSet,
  orders: readonly number[],
): NgramParams {
  let best: { params: NgramParams; nll: number } | undefined;
  for (const order of orders) {
    const base = countNgrams(train, labels, order, 1);
    for (const alpha of ALPHA_GRID) {
      const params = { ...base, alpha };
      const nll = meanNll(params, labels, validation);
      if (!best || nll < best.nll) best = { params, nll };
    }
  }
  return best!.params;
}
