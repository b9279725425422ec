import { describe, expect, it } from "vitest";
import type { Career } from "../../core/career.ts";
import { createPredictor } from "../../core/predictors/index.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { trainFrequency } from "../../scripts/baselines/frequency.ts";
import { trainLogit } from "../../scripts/baselines/logit.ts";
import { countNgrams, trainNgram } from "../../scripts/baselines/ngram.ts";
import { examplesOf } from "../../scripts/eval/examples.ts";

const labels = LabelSet.of("nlswork", ["NILF"]);
const career = (id: string, codes: string[], start = 1970, person = {}): Career => ({
  id,
  person,
  history: codes.map((occupation, i) => ({ year: start + i, occupation })),
});

// A world where 1 -> 2 -> 3 -> 1 ... always, and 4 is followed by 4.
const careers = Array.from({ length: 60 }, (_, i) => career(String(i), i % 2 ? ["1", "2", "3", "1", "2", "3"] : ["4", "4", "4", "NILF"]));
const examples = examplesOf(careers, labels);

function expectDistribution(p: Float64Array) {
  expect(p).toHaveLength(labels.size);
  expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  for (const v of p) expect(v).toBeGreaterThan(0); // never zero for a label that can occur
}

describe("examples", () => {
  it("scores every person-year after the first, given only the years before it", () => {
    expect(examples).toHaveLength(30 * 5 + 30 * 3);
    const e = examples[0]!;
    expect(e.ctx.history).toHaveLength(1);
    expect(e.ctx.nextYear).toBe(1971);
    expect(labels.codes[e.target]).toBe("4");
  });
});

describe("baselines", () => {
  it("frequency: smoothed shares of next states", () => {
    const p = createPredictor(trainFrequency(examples, labels), labels).predict(examples[0]!.ctx);
    expectDistribution(p);
    expect(p[labels.index("4")]).toBeGreaterThan(p[labels.index("5")]!);
  });

  it("Markov learns the deterministic cycle and still leaves mass on every label", () => {
    const params = trainNgram(examples, examples, labels, [1]);
    const markov = createPredictor(params, labels);
    const p = markov.predict({ person: {}, history: [{ year: 1970, occupation: "2" }], nextYear: 1971 });
    expectDistribution(p);
    expect(p[labels.index("3")]).toBeGreaterThan(0.9);
  });

  it("n-gram backoff: an unseen context falls back to the shorter one, exactly", () => {
    const params = countNgrams(examples, labels, 2, 1);
    const ngram = createPredictor(params, labels);
    const markov = createPredictor({ ...countNgrams(examples, labels, 1, 1) }, labels);
    // (4, 2) never occurs: the bigram context is unseen, so the answer is the Markov answer for 2.
    const ctx = { person: {}, history: [{ year: 1, occupation: "4" }, { year: 2, occupation: "2" }], nextYear: 3 };
    expect(Array.from(ngram.predict(ctx))).toEqual(Array.from(markov.predict(ctx)));
    // Hand-computed: context "2" is followed by "3" 60 times (30 people x 2).
    const i3 = labels.index("3"), total = 60, alpha = 1;
    const unigram = params.unigram[i3]!;
    expect(markov.predict(ctx)[i3]).toBeCloseTo((total + alpha * unigram) / (total + alpha), 12);
  });

  it("multinomial logit learns from previous state and features, with a full distribution", () => {
    const logit = createPredictor(trainLogit(examples, examples, labels, { epochs: 20, batchSize: 16, learningRate: 0.05 }), labels);
    const p = logit.predict({ person: {}, history: [{ year: 1970, occupation: "1" }], nextYear: 1971 });
    expectDistribution(p);
    expect(p[labels.index("2")]).toBeGreaterThan(0.8);
    const q = logit.predict({ person: {}, history: [{ year: 1970, occupation: "4" }, { year: 1971, occupation: "4" }], nextYear: 1972 });
    expect(q[labels.index("4")]! + q[labels.index("NILF")]!).toBeGreaterThan(0.8);
  });
});
