import { describe, expect, it } from "vitest";
import { computeMetrics, eceNoise, reliabilityBins, rocAuc } from "../../scripts/eval/metrics.ts";

describe("metrics", () => {
  const examples = [
    { probs: [0.7, 0.2, 0.1], target: 0, previous: 0 },
    { probs: [0.7, 0.2, 0.1], target: 1, previous: 0 },
    { probs: [0.1, 0.3, 0.6], target: 2, previous: 1 },
    { probs: [0.25, 0.5, 0.25], target: 0, previous: 1 },
  ];

  it("perplexity is exp of the mean negative log-likelihood of the observed next state", () => {
    const m = computeMetrics(examples);
    const nll = -(Math.log(0.7) + Math.log(0.2) + Math.log(0.6) + Math.log(0.25)) / 4;
    expect(m.nll).toBeCloseTo(nll, 12);
    expect(m.perplexity).toBeCloseTo(Math.exp(nll), 12);
    expect(m.n).toBe(4);
  });

  it("counts top-1 and top-5 hits, ties against the target", () => {
    const m = computeMetrics(examples);
    expect(m.top1).toBe(0.5); // examples 1 and 3
    expect(m.top5).toBe(1);
    expect(computeMetrics([{ probs: [0.5, 0.5], target: 1, previous: 0 }]).top1).toBe(0);
  });

  it("ECE is the count-weighted gap between confidence and accuracy per bin", () => {
    // bins of width 1/15: 0.7 twice (1 hit of 2), 0.6 (hit), 0.5 (miss)
    const expected = (2 / 4) * Math.abs(0.5 - 0.7) + (1 / 4) * Math.abs(1 - 0.6) + (1 / 4) * Math.abs(0 - 0.5);
    expect(computeMetrics(examples).ece).toBeCloseTo(expected, 12);
    const bins = reliabilityBins(examples);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(4);
  });

  it("a perfectly calibrated, perfectly confident model has ECE 0", () => {
    expect(computeMetrics([{ probs: [1, 0], target: 0, previous: 0 }]).ece).toBe(0);
  });

  it("the ECE of noise alone is what a calibrated model shows from sampling: zero when certain, about sqrt(2/pi)/(2 sqrt(n)) at 50%", () => {
    expect(eceNoise([{ probs: [1, 0], target: 0, previous: 0 }])).toBe(0);
    const n = 400;
    const coinFlips = Array.from({ length: n }, (_, i) => ({ probs: [0.5, 0.3, 0.2], target: i % 2, previous: 0 }));
    const expected = Math.sqrt(2 / Math.PI) * 0.5 / Math.sqrt(n); // E|Binomial(n, 1/2)/n - 1/2|
    expect(eceNoise(coinFlips, 2000)).toBeCloseTo(expected, 3);
    // A model whose measured ECE is far above the floor is miscalibrated, not unlucky.
    const overconfident = Array.from({ length: n }, (_, i) => ({ probs: [0.9, 0.1], target: i % 2, previous: 0 }));
    expect(computeMetrics(overconfident).ece).toBeGreaterThan(10 * computeMetrics(overconfident).ece_noise);
  });

  it("ROC-AUC matches the pairwise definition, ties counted half", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(rocAuc([1, 2, 3], [false, true, true])).toBe(1);
    expect(Number.isNaN(rocAuc([1, 2], [true, true]))).toBe(true);
    // change AUC in computeMetrics uses 1 - p(previous): example 2 and 4 changed
    expect(computeMetrics(examples).auc_change).toBeGreaterThanOrEqual(0);
  });
});
