// n-gram over the sequence of observed states with interpolated Dirichlet backoff:
//   p_n(y | c_1..c_n) = (count(c_1..c_n, y) + alpha * p_{n-1}(y | c_2..c_n)) / (count(c_1..c_n) + alpha)
// down to p_0, the smoothed frequency of next states. Order 1 is the first-order Markov chain.
import type { LabelSet } from "../taxonomy.ts";
import type { Predictor, PredictionContext } from "./types.ts";

export interface NgramParams {
  kind: "ngram";
  /** Number of previous states conditioned on (1 = first-order Markov). */
  order: number;
  /** Dirichlet concentration pulling each context toward its shorter context. */
  alpha: number;
  /** Smoothed probability of each label with no context (label set order). */
  unigram: number[];
  /** Context key (label indices of the previous states, oldest first, joined by ",") -> [label index, count] pairs. */
  contexts: Record<string, [number, number][]>;
}

export function contextKey(indices: readonly number[]): string {
  return indices.join(",");
}

export function ngramPredictor(params: NgramParams, labels: LabelSet, name = params.order === 1 ? "markov" : `ngram-${params.order}`): Predictor {
  const unigram = Float64Array.from(params.unigram);
  // Totals are precomputed once: the per-request work is O(order * labels).
  const contexts = new Map<string, { total: number; counts: [number, number][] }>();
  for (const [key, counts] of Object.entries(params.contexts))
    contexts.set(key, { total: counts.reduce((s, [, c]) => s + c, 0), counts });
  return {
    name,
    predict(ctx: PredictionContext): Float64Array {
      const past = ctx.history.slice(-params.order).map((h) => labels.index(h.occupation));
      const p = unigram.slice();
      // From the shortest context to the longest, each level interpolates with the one below.
      for (let n = 1; n <= past.length; n++) {
        const entry = contexts.get(contextKey(past.slice(past.length - n)));
        if (!entry) continue;
        const scale = params.alpha / (entry.total + params.alpha);
        for (let i = 0; i < p.length; i++) p[i]! *= scale;
        for (const [i, c] of entry.counts) p[i]! += c / (entry.total + params.alpha);
      }
      return p;
    },
  };
}
