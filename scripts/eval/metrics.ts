// Quality metrics of next-state distributions against what was observed.
import { createRng } from "../synthetic/prng.ts";

export interface ScoredExample {
  /** Probability vector over labels. */
  probs: ArrayLike<number>;
  target: number;
  previous: number;
}

export interface Metrics {
  perplexity: number;
  /** Mean negative log-likelihood of the observed next state (nats). */
  nll: number;
  top1: number;
  top5: number;
  /** Expected calibration error of the top-1 prediction, 15 equal-width confidence bins. */
  ece: number;
  /** The ECE a perfectly calibrated model with the same top-1 confidences shows on this many questions, from
   *  sampling alone: how far below it no measured ECE can be told apart from noise. */
  ece_noise: number;
  /** ROC-AUC of P(change) for "the next state differs from the last one". */
  auc_change: number;
  n: number;
}

export const ECE_BINS = 15;

export interface ReliabilityBin {
  confidence: number;
  accuracy: number;
  count: number;
}

/** Rank of the target among labels (0 = most probable); ties count against the target. */
function targetRank(probs: ArrayLike<number>, target: number): number {
  const p = probs[target]!;
  let rank = 0;
  for (let i = 0; i < probs.length; i++) if (i !== target && probs[i]! >= p) rank++;
  return rank;
}

function argmax(probs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
  return best;
}

export function reliabilityBins(examples: readonly ScoredExample[], bins = ECE_BINS): ReliabilityBin[] {
  const tops = examples.map((e) => topOf(e.probs));
  return binned(tops, tops.map((t, i) => t.index === examples[i]!.target), bins);
}

function topOf(probs: ArrayLike<number>): { index: number; confidence: number } {
  const index = argmax(probs);
  return { index, confidence: probs[index]! };
}

function binned(tops: readonly { confidence: number }[], hit: readonly boolean[], bins = ECE_BINS): ReliabilityBin[] {
  const conf = new Float64Array(bins), hits = new Float64Array(bins), count = new Float64Array(bins);
  tops.forEach(({ confidence: c }, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    conf[b]! += c;
    hits[b]! += hit[i] ? 1 : 0;
    count[b]!++;
  });
  return Array.from({ length: bins }, (_, b) => ({
    confidence: count[b] ? conf[b]! / count[b]! : (b + 0.5) / bins,
    accuracy: count[b] ? hits[b]! / count[b]! : 0,
    count: count[b]!,
  }));
}

const eceOf = (bins: readonly ReliabilityBin[], n: number) => bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.confidence), 0);

/** Mean ECE over simulated outcomes in which each top-1 prediction is right with exactly its confidence. */
export function eceNoise(examples: readonly ScoredExample[], simulations = 200, seed = 1): number {
  const tops = examples.map((e) => topOf(e.probs));
  const rng = createRng(seed);
  let total = 0;
  for (let s = 0; s < simulations; s++) total += eceOf(binned(tops, tops.map((t) => rng() < t.confidence)), tops.length);
  return total / simulations;
}

/** Mann-Whitney ROC-AUC with ties counted half. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0, nPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const midRank = (i + j + 1) / 2; // ranks are 1-based
    for (let k = i; k < j; k++) if (positive[order[k]![1]]) (rankSumPos += midRank), nPos++;
    i = j;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function computeMetrics(examples: readonly ScoredExample[]): Metrics {
  let nll = 0, top1 = 0, top5 = 0;
  const changeScores: number[] = [], changed: boolean[] = [];
  for (const e of examples) {
    nll -= Math.log(e.probs[e.target]!);
    const rank = targetRank(e.probs, e.target);
    if (rank === 0) top1++;
    if (rank < 5) top5++;
    changeScores.push(1 - e.probs[e.previous]!);
    changed.push(e.target !== e.previous);
  }
  const n = examples.length;
  const ece = eceOf(reliabilityBins(examples), n);
  return { perplexity: Math.exp(nll / n), nll: nll / n, top1: top1 / n, top5: top5 / n, ece, ece_noise: eceNoise(examples), auc_change: rocAuc(changeScores, changed), n };
}
