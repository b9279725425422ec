import { describe, expect, it } from "vitest";
import { ProblemError, type Problem } from "../../core/problem.ts";
import { parsePredictRequest, validateAgainstModel } from "../../core/validate-request.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import type { PredictRequest } from "../../core/contract.ts";

const labels = LabelSet.of("nlswork", ["NILF"]);
const request = (over: Partial<PredictRequest> = {}): PredictRequest => ({
  history: [
    { year: 1978, occupation: "3" },
    { year: 1980, occupation: "4" },
  ],
  top_k: 5,
  full_distribution: false,
  ...over,
});

/** The problem a call throws (fails the test when it throws nothing else). */
function refusal(call: () => unknown): Problem {
  try {
    call();
  } catch (e) {
    if (e instanceof ProblemError) return e.problem;
    throw e;
  }
  throw new Error("expected a ProblemError");
}

describe("parsePredictRequest", () => {
  it("applies the contract's defaults", () => {
    const parsed = parsePredictRequest({ history: [{ year: 1978, occupation: "3" }] });
    expect(parsed).toEqual({ history: [{ year: 1978, occupation: "3" }], top_k: 5, full_distribution: false });
  });

  it("reports each schema error at its JSON pointer, unknown keys included", () => {
    const refused = refusal(() => parsePredictRequest({ history: [{ year: 1978.5, occupation: "" }], top_k: 99, "a/b": 1 }));
    expect(refused.status).toBe(422);
    expect(refused.errors!.map((e) => e.pointer).sort()).toEqual(["/a~1b", "/history/0/occupation", "/history/0/year", "/top_k"]);
  });

  it("points at the root for a body that is not an object", () => {
    expect(refusal(() => parsePredictRequest([1])).errors!.map((e) => e.pointer)).toEqual([""]);
  });
});

describe("validateAgainstModel", () => {
  it("accepts a coherent history", () => {
    expect(validateAgainstModel(request({ next_year: 1981, person: { birth_year: 1952 } }), labels, 2026)).toEqual([]);
  });

  it("lists every unknown code, every non-increasing or future year, next_year and birth_year", () => {
    const errors = validateAgainstModel(
      request({
        history: [
          { year: 1978, occupation: "99" },
          { year: 1978, occupation: "EDU" },
          { year: 2030, occupation: "NILF" },
        ],
        next_year: 2029,
        person: { birth_year: 1990 },
      }),
      labels,
      2026,
    );
    expect(errors.map((e) => e.pointer)).toEqual([
      "/history/0/occupation",
      "/history/1/occupation",
      "/history/1/year",
      "/history/2/year",
      "/next_year",
      "/person/birth_year",
    ]);
  });

  it("allows next year but not the year after", () => {
    expect(validateAgainstModel(request({ history: [{ year: 2027, occupation: "1" }] }), labels, 2026)).toEqual([]);
    expect(validateAgainstModel(request({ history: [{ year: 2028, occupation: "1" }] }), labels, 2026)).toHaveLength(1);
  });
});
