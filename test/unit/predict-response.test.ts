import { describe, expect, it } from "vitest";
import { buildPredictResponse, nextYearOf } from "../../core/predict-response.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import type { PredictRequest } from "../../core/contract.ts";

const labels = LabelSet.of("nlswork", ["UNEMP", "NILF"]); // 13 groups + 2 states
const probs = Float64Array.from(labels.labels, (_, i) => i + 1);
const sum = probs.reduce((a, b) => a + b, 0);
probs.forEach((p, i) => (probs[i] = p / sum));
const request: PredictRequest = { history: [{ year: 1980, occupation: "4" }], top_k: 3, full_distribution: true };

describe("buildPredictResponse", () => {
  it("derives predictions, distribution, p_change and p_exit_labor_force from one vector", () => {
    const r = buildPredictResponse({ model: "m", servedBy: "edge", engine: "baseline:test", labels, request, nextYear: nextYearOf(request, { step_years: 2 }), probs });
    expect(r.next_year).toBe(1982);
    expect(r.predictions.map((p) => p.code)).toEqual(["NILF", "UNEMP", "13"]);
    expect(r.p_exit_labor_force).toBeCloseTo(15 / sum, 12);
    expect(r.p_change).toBeCloseTo(1 - 4 / sum, 12);
    expect(Object.keys(r.distribution!)).toHaveLength(15);
  });

  it("omits what was not asked for or does not exist", () => {
    const plain = LabelSet.of("nlswork");
    const r = buildPredictResponse({ model: "m", servedBy: "edge", engine: "baseline:test", labels: plain, request: { ...request, full_distribution: false }, nextYear: 1981, probs: probs.slice(0, 13) });
    expect(r.distribution).toBeUndefined();
    expect(r.p_exit_labor_force).toBeUndefined();
    expect(nextYearOf({ ...request, next_year: 1985 }, { step_years: 2 })).toBe(1985);
  });
});

describe("nextYearOf", () => {
  // NLSY79's calendar: yearly interviews to 1994, then every second year.
  const nlsy79 = { step_years: 1, interview_years: [1982, 1983, 1984, 1993, 1994, 1996, 1998, 2000] };
  const after = (year: number) => nextYearOf({ history: [{ year, occupation: "4" }], top_k: 5, full_distribution: false }, nlsy79);

  it("is the model's next interview year after the history, uneven steps included", () => {
    expect(after(1983)).toBe(1984);
    expect(after(1994)).toBe(1996);
    expect(after(1995)).toBe(1996); // a history year between interviews
    expect(after(1981)).toBe(1982);
  });

  it("past the calendar's end steps by its final gap; without a calendar by the usual step", () => {
    expect(after(2000)).toBe(2002);
    expect(after(2005)).toBe(2007);
    expect(nextYearOf(request, { step_years: 2 })).toBe(1982);
  });
});

