// The career edge model's history term (scripts/lm/career_model.py history_features): the per-label facts it
// adds to the head's logits, computed inside the graph from the states, checked by hand on one career. And the
// one encoder (core/career-steps.ts) that writes its training records and its serving inputs.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Tensor } from "onnxruntime-node";
import { careerSteps, CAREER_VOCAB } from "../../core/career-steps.ts";
import { CareerInput } from "../../core/small-model.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

/** history_features for one career of K labels (a padding step is state K): [T][K][features]. */
function historyFeatures(states: number[], years: number[], nextYears: number[], k: number): number[][][] {
  const script = `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from career_model import history_features
t = lambda v: torch.tensor([v])
print(json.dumps(history_features(t(${JSON.stringify(states)}), t(${JSON.stringify(nextYears)}), t(${JSON.stringify(years)}), ${k})[0].tolist()))`;
  return JSON.parse(execFileSync(pythonExecutable(), ["-c", script], { encoding: "utf8" }));
}

describe("career model history features", () => {
  // Label 2 in 2000, label 5 in 2001, label 2 again in 2003, then a padding step; predicting 2001, 2003, 2004.
  const f = historyFeatures([2, 5, 2, 6], [2000, 2001, 2003, 2003], [2001, 2003, 2004, 2003], 6);
  const [current, held, before, decay1, decay3, decay10] = [0, 1, 2, 3, 4, 5];

  it("the current state, years held and 'held before, not now', up to each step only", () => {
    expect(f[0]![2]![current]).toBe(1);
    expect(f[0]![5]![held]).toBe(0); // label 5 is not held yet at step 0
    expect(f[1]![2]![before]).toBe(1);
    expect(f[1]![5]![before]).toBe(0); // the current state is not "before"
    expect(f[2]![2]![held]).toBeCloseTo(Math.log(3), 6); // two years in label 2
    expect(f[2]![5]![before]).toBe(1);
    expect(f[2]![0]!.every((v) => v === 0)).toBe(true); // never held
  });

  it("time-decayed years held, counted back from the predicted year", () => {
    expect(f[2]![2]![decay1]).toBeCloseTo(Math.exp(-4) + Math.exp(-1), 6);
    expect(f[2]![5]![decay3]).toBeCloseTo(Math.exp(-3 / 3), 6);
    expect(f[1]![2]![decay10]).toBeCloseTo(Math.exp(-3 / 10), 6); // 2000 -> 2003
  });

  it("a padding step adds nothing", () => {
    expect(f[3]![2]![held]).toBeCloseTo(Math.log(3), 6);
    expect(f[3]![5]![held]).toBeCloseTo(Math.log(2), 6);
  });
});

describe("careerSteps", () => {
  const labels = LabelSet.complete("nlswork");
  const history = [
    { year: 1978, occupation: "3", education: "high school" as const },
    { year: 1980, occupation: "UNEMP" },
  ];

  it("one step per year: label indices, years, schooling carried from the person, the year each step predicts", () => {
    const steps = careerSteps({ birth_year: 1952, sex: "female", education: "some college" }, history, labels, 1983);
    expect(steps.states).toEqual([labels.index("3"), labels.index("UNEMP")]);
    expect(steps.years).toEqual([1978, 1980]);
    expect(steps.education).toEqual([1, 2]);
    expect(steps.next_years).toEqual([1980, 1983]);
    expect(steps.person).toEqual([0, CAREER_VOCAB.race - 1, CAREER_VOCAB.region - 1, 1952]);
  });

  it("a training record (no year asked) predicts one year after the last, a step never read", () => {
    expect(careerSteps({}, history, labels).next_years).toEqual([1980, 1981]);
    expect(careerSteps({}, history, labels).person).toEqual([CAREER_VOCAB.sex - 1, CAREER_VOCAB.race - 1, CAREER_VOCAB.region - 1, 0]);
  });
});

describe("CareerInput: what the small model never saw in training", () => {
  const labels = LabelSet.complete("nlswork");
  const seen = { years: [1968, 1988] as [number, number], states: [labels.index("3"), labels.index("4")] };
  const unseen = (history: { year: number; occupation: string }[], nextYear: number) =>
    new CareerInput(labels, 64, seen).feeds({ person: {}, history, nextYear }, Tensor as never).unseen;

  it("counts years outside the training span (the one asked too) and states no training career held", () => {
    expect(unseen([{ year: 1978, occupation: "3" }, { year: 1980, occupation: "4" }], 1982)).toMatchObject({ count: 0 });
    expect(unseen([{ year: 1978, occupation: "3" }], 1990)).toMatchObject({ count: 1 });
    expect(unseen([{ year: 2015, occupation: "7" }], 2017)).toMatchObject({ count: 3, what: expect.stringContaining("(1968-1988)") });
  });

  it("says nothing where the artifact does not record what the model saw", () => {
    expect(new CareerInput(labels, 64).feeds({ person: {}, history: [{ year: 2015, occupation: "3" }], nextYear: 2017 }, Tensor as never).unseen).toBeUndefined();
  });
});
