// Turning a model's probability vector into the answers of the prediction contract.
import type { LabelSet } from "./taxonomy.ts";
import { NOT_IN_LABOR_FORCE } from "./taxonomy.ts";
import type { Prediction } from "./contract.ts";

/** Probabilities from unnormalised log-scores (numerically stable softmax), in place. */
export function softmaxInPlace(scores: Float64Array | Float32Array): typeof scores {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += scores[i] = Math.exp(scores[i]! - max);
  for (let i = 0; i < scores.length; i++) scores[i]! /= sum;
  return scores;
}

/** The k most probable labels, most probable first (ties broken by label order). */
export function topK(labels: LabelSet, probs: ArrayLike<number>, k: number): Prediction[] {
  const order = Array.from({ length: probs.length }, (_, i) => i);
  order.sort((a, b) => probs[b]! - probs[a]! || a - b);
  return order.slice(0, k).map((i) => ({ code: labels.labels[i]!.code, title: labels.labels[i]!.title, probability: probs[i]! }));
}

export function asDistribution(labels: LabelSet, probs: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(labels.labels.map((l, i) => [l.code, probs[i]!]));
}

/** P(next state differs from the last observed state). */
export function changeProbability(labels: LabelSet, probs: ArrayLike<number>, lastCode: string): number {
  return 1 - probs[labels.index(lastCode)]!;
}

/** P(next state is "Not in labor force"), or undefined when the label set has no such state. */
export function exitLaborForceProbability(labels: LabelSet, probs: ArrayLike<number>): number | undefined {
  const code = labels.codeOf(NOT_IN_LABOR_FORCE);
  return code === undefined ? undefined : probs[labels.index(code)]!;
}

/** A finite, non-negative vector of `size` entries summing to 1 (to 1e-6): what every model must produce. */
export function isDistribution(probs: ArrayLike<number>, size: number): boolean {
  if (probs.length !== size) return false;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!Number.isFinite(p) || p < 0) return false;
    sum += p;
  }
  return Math.abs(sum - 1) <= 1e-6;
}
