// Prediction equivalents (core/titles/equivalents.ts): a model label -> the codes of SOC 2018, O*NET-SOC,
// ISCO-08 or Census 2018 it corresponds to through the shipped crosswalks, with current titles; the reverse of
// convertCode, capped per label; and how requests ask for them (contract, validation, response).
import { describe, expect, it } from "vitest";
import type { PredictRequest } from "../../core/contract.ts";
import { buildPredictResponse } from "../../core/predict-response.ts";
import { getTaxonomy, LabelSet, SPECIAL_STATES, TAXONOMY_IDS } from "../../core/taxonomy.ts";
import { ProblemError } from "../../core/problem.ts";
import { parsePredictRequest, validateAgainstModel } from "../../core/validate-request.ts";
import {
  convertCode,
  defaultCrosswalks,
  EQUIVALENT_SYSTEMS,
  equivalentsOf,
  equivalentsRefusal,
  MAX_EQUIVALENTS,
  type Equivalents,
} from "../../core/titles/index.ts";

const pairs = (e: Equivalents) => e.codes.map((c) => [c.code, c.title, c.weight]);

describe("equivalents of occ1990dd labels", () => {
  it("registered nurses (95): the SOC 2018, O*NET-SOC, Census 2018 and ISCO-08 codes and titles, the named one first", () => {
    const soc = equivalentsOf("95", { taxonomy: "occ1990dd", system: "soc2018" });
    expect(soc.system).toBe("soc2018");
    expect(soc.codes[0]).toEqual({ code: "29-1141", title: "Registered Nurses", weight: 1 });
    expect(soc.codes.map((c) => c.code)).toEqual(expect.arrayContaining(["29-1151", "29-1161", "29-1171"])); // anesthetists, midwives, practitioners
    expect(soc.total).toBe(soc.codes.length);

    const onet = equivalentsOf("95", { taxonomy: "occ1990dd", system: "onet-soc" });
    expect(onet.codes[0]).toEqual({ code: "29-1141.00", title: "Registered Nurses", weight: 1 });
    expect(onet.codes.map((c) => c.code)).toContain("29-1141.01"); // Acute Care Nurses: O*NET-SOC 2019 detail

    const census = equivalentsOf("95", { taxonomy: "occ1990dd", system: "census2018" });
    expect(census.codes[0]).toEqual({ code: "3255", title: "Registered nurses", weight: 1 });

    const isco = equivalentsOf("95", { taxonomy: "occ1990dd", system: "isco08" });
    expect(isco.codes[0]).toMatchObject({ code: "2221", title: "Nursing professionals" });
    expect(isco.codes[0]!.weight).toBeGreaterThan(0.5);
  });

  it("a code the crosswalk splits over several labels carries its share as the weight, after the whole ones", () => {
    // Chief executives, public administrators, and legislators (4): SOC 11-1011 maps to it alone; Legislators
    // 11-1031 has no O*NET-SOC code in the Webb crosswalk and goes by its minor group (11-1: two codes to 4,
    // one to 22), so it comes second with its share, 2/3.
    expect(pairs(equivalentsOf("4", { taxonomy: "occ1990dd", system: "soc2018" }))).toEqual([
      ["11-1011", "Chief Executives", 1],
      ["11-1031", "Legislators", 0.6667],
    ]);
    const cashiers = equivalentsOf("276", { taxonomy: "occ1990dd", system: "soc2018" });
    expect(cashiers.codes[0]).toEqual({ code: "41-2011", title: "Cashiers", weight: 1 });
    expect(cashiers.codes.at(-1)).toEqual({ code: "43-3099", title: "Financial Clerks, All Other", weight: 0.125 });
  });

  it("software developers merged two SOC 2010 codes: SOC 2018 15-1252 is an equivalent of occ1990dd 64 (computer systems analysts and scientists)", () => {
    const e = equivalentsOf("64", { taxonomy: "occ1990dd", system: "soc2018" });
    expect(e.total).toBeGreaterThan(MAX_EQUIVALENTS);
    expect(e.codes).toHaveLength(MAX_EQUIVALENTS);
    expect(e.codes[0]).toEqual({ code: "15-1211", title: "Computer Systems Analysts", weight: 1 });
    const all = equivalentsOf("64", { taxonomy: "occ1990dd", system: "soc2018", limit: 100 });
    expect(all.codes.map((c) => c.code)).toContain("15-1252");
  });

  it("uses the current SOC 2018 titles (the BLS table's, where they differ from O*NET's)", () => {
    const cw = defaultCrosswalks();
    expect(cw.soc2018List()).toHaveLength(867);
    for (const soc of cw.soc2018List()) expect(cw.soc2018Title(soc), soc).toMatch(/\w/);
    expect(cw.soc2018Title("33-1021")).toBe("First-Line Supervisors of Fire Fighting and Prevention Workers");
    expect(cw.soc2018Title("29-1141")).toBe("Registered Nurses");
    expect(cw.soc2018Title("29-1111")).toBeUndefined(); // a SOC 2010 code that SOC 2018 no longer has
  });

  it("every equivalent converts back to its label, with its weight as the conversion's confidence", () => {
    for (const system of EQUIVALENT_SYSTEMS) {
      for (const { code: label } of getTaxonomy("occ1990dd").labels) {
        for (const e of equivalentsOf(label, { taxonomy: "occ1990dd", system, limit: 1000 }).codes) {
          const back = convertCode({ code: e.code, system }, { taxonomy: "occ1990dd", limit: 1000 });
          const candidate = back.candidates.find((c) => c.code === label);
          expect(candidate, `${system} ${e.code} -> ${label}`).toBeDefined();
          expect(candidate!.confidence).toBeCloseTo(e.weight, 4);
        }
      }
    }
  });

  it("lists are sorted by weight, highest first, with weights in (0, 1]", () => {
    for (const taxonomy of TAXONOMY_IDS)
      for (const system of EQUIVALENT_SYSTEMS)
        for (const { code } of getTaxonomy(taxonomy).labels) {
          const { codes, total } = equivalentsOf(code, { taxonomy, system, limit: 1000 });
          expect(codes).toHaveLength(total);
          codes.forEach((c, i) => {
            expect(c.weight).toBeGreaterThan(0);
            expect(c.weight).toBeLessThanOrEqual(1);
            if (i > 0) expect(c.weight).toBeLessThanOrEqual(codes[i - 1]!.weight);
          });
        }
  });

  it("most occupations have equivalents in every system", () => {
    const labels = getTaxonomy("occ1990dd").labels;
    for (const system of EQUIVALENT_SYSTEMS) {
      const covered = labels.filter((l) => equivalentsOf(l.code, { taxonomy: "occ1990dd", system }).total > 0).length;
      // 338 of 341 in SOC 2018, O*NET-SOC and Census 2018; 294 in ISCO-08 (the title-match bridge is sparser).
      expect(covered / labels.length, system).toBeGreaterThan(system === "isco08" ? 0.85 : 0.98);
    }
  });
});

describe("equivalents of a coarse label set (nlswork's 13 groups)", () => {
  it("caps each group's list at MAX_EQUIVALENTS, with the total", () => {
    const professional = equivalentsOf("1", { taxonomy: "nlswork", system: "soc2018" });
    expect(professional.total).toBeGreaterThan(200);
    expect(professional.codes).toHaveLength(MAX_EQUIVALENTS);
    // At equal weight, the SOC major group that holds most of a group's codes comes first: what the 1970
    // group meant (operatives: production occupations; sales: 41; clerical: office support, 43).
    for (const [group, major] of [["3", "41-"], ["4", "43-"], ["6", "51-"], ["7", "53-"]] as const) {
      const { codes } = equivalentsOf(group, { taxonomy: "nlswork", system: "soc2018" });
      expect(codes.every((c) => c.code.startsWith(major)), `${group}: ${codes.map((c) => c.code).join(" ")}`).toBe(true);
    }
    // Census 2018 codes are grouped by their SOC code's major group: 7710 is SOC 51-2011.
    expect(equivalentsOf("6", { taxonomy: "nlswork", system: "census2018" }).codes[0]).toEqual({ code: "7710", title: "Aircraft structure, surfaces, rigging, and systems assemblers", weight: 1 });
    const farmers = equivalentsOf("9", { taxonomy: "nlswork", system: "soc2018" });
    expect(pairs(farmers)).toEqual([["11-9013", "Farmers, Ranchers, and Other Agricultural Managers", 1]]);
    // Housekeepers and maids (occ1990dd 405) split half and half between private-household and other service.
    expect(pairs(equivalentsOf("12", { taxonomy: "nlswork", system: "soc2018" }))).toEqual([
      ["37-2012", "Maids and Housekeeping Cleaners", 0.5],
      ["37-2019", "Building Cleaning Workers, All Other", 0.25],
    ]);
    // Group 13 "Other" receives no occ1990dd code.
    expect(equivalentsOf("13", { taxonomy: "nlswork", system: "soc2018" })).toEqual({ system: "soc2018", total: 0, codes: [] });
  });

  it("every SOC 2018 code that reaches an occ1990dd label reaches the groups it maps to", () => {
    const totals = getTaxonomy("nlswork").labels.map((l) => equivalentsOf(l.code, { taxonomy: "nlswork", system: "soc2018" }).total);
    const placed = new Set(
      getTaxonomy("occ1990dd").labels.flatMap((l) => equivalentsOf(l.code, { taxonomy: "occ1990dd", system: "soc2018", limit: 1000 }).codes.map((c) => c.code)),
    );
    // A SOC code may reach two groups (through two occ1990dd codes), never none.
    expect(totals.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(placed.size);
  });
});

describe("special states, identity and refusals", () => {
  it("special states have no equivalents: an empty list", () => {
    for (const taxonomy of TAXONOMY_IDS)
      for (const system of EQUIVALENT_SYSTEMS)
        for (const { code } of SPECIAL_STATES) expect(equivalentsOf(code, { taxonomy, system })).toEqual({ system, total: 0, codes: [] });
  });

  it("an ISCO-08 label's ISCO-08 equivalent is itself", () => {
    expect(pairs(equivalentsOf("2221", { taxonomy: "isco08", system: "isco08" }))).toEqual([["2221", "Nursing professionals", 1]]);
  });

  it("refuses a label set that is not a built-in taxonomy, and a system not offered, saying why", () => {
    for (const taxonomy of TAXONOMY_IDS) for (const system of EQUIVALENT_SYSTEMS) expect(equivalentsRefusal(taxonomy, system)).toBeUndefined();
    expect(equivalentsRefusal("custom:acme", "soc2018")).toBe(
      "the model's labels are its own code list (custom:acme), which no crosswalk links to soc2018: equivalents need a model of a built-in taxonomy (occ1990dd, nlswork, isco08)",
    );
    expect(equivalentsRefusal("occ1990dd", "soc2010")).toMatch(/offered in soc2018, onet-soc, isco08, census2018/);
    expect(() => equivalentsOf("1", { taxonomy: "custom:acme", system: "soc2018" })).toThrow(/its own code list/);
  });

  it("returns copies: changing an answer does not change the next one", () => {
    const first = equivalentsOf("95", { taxonomy: "occ1990dd", system: "soc2018" });
    first.codes[0]!.title = "changed";
    first.codes.pop();
    const again = equivalentsOf("95", { taxonomy: "occ1990dd", system: "soc2018" });
    expect(again.codes[0]!.title).toBe("Registered Nurses");
    expect(again.codes).toHaveLength(again.total);
  });
});

describe("asking for equivalents in a prediction request", () => {
  const history = [{ year: 1978, occupation: "3" }, { year: 1980, occupation: "4" }];
  const nlswork = LabelSet.of("nlswork", ["NILF"]);
  const request: PredictRequest = { history, top_k: 14, full_distribution: false, equivalents: "soc2018" };

  it("the contract accepts the four systems and refuses any other at /equivalents", () => {
    for (const system of EQUIVALENT_SYSTEMS) expect(parsePredictRequest({ history, equivalents: system }).equivalents).toBe(system);
    for (const bad of ["soc2010", "SOC2018", "", 3, null]) {
      let refused: ProblemError | undefined;
      try {
        parsePredictRequest({ history, equivalents: bad });
      } catch (e) {
        refused = e as ProblemError;
      }
      expect(refused).toBeInstanceOf(ProblemError);
      expect(refused!.problem.errors).toEqual([{ pointer: "/equivalents", detail: "equivalents are offered in soc2018, onet-soc, isco08, census2018 (current editions only)" }]);
    }
  });

  it("validation refuses equivalents for a model whose labels are not a built-in taxonomy, at /equivalents", () => {
    expect(validateAgainstModel(request, nlswork, 2026)).toEqual([]);
    // A code list of the model's own (`--labels`): here the same labels under an id no crosswalk knows.
    const custom = Object.defineProperty(LabelSet.of("nlswork"), "taxonomy", { value: "custom:acme" });
    const errors = validateAgainstModel(request, custom, 2026);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.pointer).toBe("/equivalents");
    expect(errors[0]!.detail).toMatch(/its own code list \(custom:acme\)/);
    expect(validateAgainstModel({ ...request, equivalents: undefined }, custom, 2026)).toEqual([]);
  });

  it("each prediction lists its equivalents; the probabilities are the labels' own, untouched", () => {
    const probs = Float64Array.from(nlswork.labels, (_, i) => (i + 1) / ((nlswork.size * (nlswork.size + 1)) / 2));
    const build = (r: PredictRequest) => buildPredictResponse({ model: "nlswork", servedBy: "edge", engine: "small", labels: nlswork, request: r, nextYear: 1982, probs });
    const withEq = build(request);
    const without = build({ ...request, equivalents: undefined });
    expect(withEq.predictions.map(({ code, title, probability }) => ({ code, title, probability }))).toEqual(without.predictions);
    expect(without.predictions.every((p) => p.equivalents === undefined)).toBe(true);
    for (const p of withEq.predictions) {
      expect(p.equivalents).toEqual(equivalentsOf(p.code, { taxonomy: "nlswork", system: "soc2018" }));
      expect(p.equivalents!.codes.length).toBeLessThanOrEqual(MAX_EQUIVALENTS);
    }
    expect(withEq.predictions.find((p) => p.code === "NILF")!.equivalents).toEqual({ system: "soc2018", total: 0, codes: [] });
  });
});
