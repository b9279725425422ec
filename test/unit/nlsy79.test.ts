// The NLSY79 reader (scripts/panel/nlsy79.ts): NLS Investigator's wide files into the panel, every cell
// accounted for; on a fixture with one case per rule, then on the real extract in ../shared/data.
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../scripts/datasets.ts";
import { readNlsy79 } from "../../scripts/panel/nlsy79.ts";
import { formatReport } from "../../scripts/panel/ingest.ts";
import type { Panel } from "../../scripts/panel/types.ts";

const fixture = new URL("../fixtures/panels/nlsy79", import.meta.url).pathname;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const career = (panel: Panel, id: string) => panel.careers.find((c) => c.id === id)!;
const steps = (panel: Panel, id: string) => career(panel, id).history.map((h) => `${h.year}:${h.occupation}:${h.education ?? "?"}`);

describe("NLSY79 extract (fixture)", () => {
  const panel = readNlsy79(fixture);
  const r = panel.report;

  it("accounts for every person-year cell: kept, or refused by kind", () => {
    expect([r.rows, r.kept, r.people, r.personYears]).toEqual([25, 13, 4, 13]);
    expect(r.refused).toEqual({
      "census 1980 code not placed in occ1990dd": 1,
      "don't know (-2)": 1,
      "invalid skip (-3)": 1,
      "not interviewed (-5): a gap in the career": 1,
      "occupation invalid": 1,
      "occupation missing": 1,
      "refused (-1)": 1,
      "wrong number of fields": 5,
    });
    expect(r.kept + sum(r.refused)).toBe(r.rows);
    expect(r.issues.find((i) => i.kind === "census 1980 code not placed in occ1990dd")).toMatchObject({ line: 4, field: "1984" });
  });

  it("reads -4 as EDU when schooling rose that year, else NOWORK; education as of each year", () => {
    expect(steps(panel, "1")).toEqual([
      "1982:23:high school",
      "1983:NOWORK:high school", // grade 12 in 1982 and 1983: not in school
      "1984:EDU:some college", // grade 13 in 1984, up from 12
      "1994:337:bachelor's degree",
      "1996:337:bachelor's degree", // not interviewed for the grade in 1996: the latest on record
    ]);
    // 1983's grade is unknown, so a rise cannot be seen: NOWORK; the education is 1982's.
    expect(steps(panel, "2")).toEqual(["1983:NOWORK:less than high school", "1984:23:less than high school"]);
    expect(steps(panel, "5")).toEqual(["1982:NOWORK:?", "1983:NOWORK:?", "1984:NOWORK:?", "1994:NOWORK:?", "1996:NOWORK:?"]); // 95: ungraded
    expect(panel.specialStates).toEqual(["EDU", "NOWORK"]);
  });

  it("takes birth year, sex and race from the demographics; race 3 and NLS missing codes stay unknown", () => {
    expect(career(panel, "1").person).toEqual({ birth_year: 1958, sex: "female" }); // race 3: non-Black, non-Hispanic
    expect(career(panel, "2").person).toEqual({ birth_year: 1959, sex: "male", race: "black" });
    expect(career(panel, "3").person).toEqual({ birth_year: 1961, sex: "female", race: "hispanic" });
    expect(career(panel, "5").person).toEqual({});
  });

  it("reports how much of the coded person-years the census 1980 mapping placed", () => {
    expect(r.codeMapping).toEqual({
      from: "census1980",
      to: "occ1990dd",
      codedPersonYears: 6,
      placedPersonYears: 5,
      distinctCodes: 3,
      unplacedCodes: [{ code: "0", personYears: 1 }],
    });
    expect(formatReport(panel)).toContain("census1980 -> occ1990dd: 5 of 6 coded person-years placed (83.3%), 2 of 3 codes");
  });
});

describe("NLSY79 extract (the real files)", () => {
  const panel = readNlsy79();
  const r = panel.report;

  it("keeps every interview's answer it can place, and counts the rest", () => {
    expect(r.rows).toBe(10_818 * 16);
    expect(r.kept + sum(r.refused)).toBe(r.rows);
    expect(r.refused["not interviewed (-5): a gap in the career"]).toBe(35_308);
    // -4 (no current job) is kept as EDU or NOWORK, never refused.
    const states = panel.careers.flatMap((c) => c.history).filter((h) => h.occupation === "EDU" || h.occupation === "NOWORK").length;
    expect(states).toBe(21_964);
    expect(panel.specialStates).toEqual(["EDU", "NOWORK"]);
    expect(r.codeMapping!.codedPersonYears).toBe(115_304);
    expect(r.codeMapping!.distinctCodes).toBe(550);
  });

  it("is the dataset every command names nlsy79", async () => {
    const { panel: named } = await loadDataset({ dataset: "nlsy79" });
    expect(named.report.personYears).toBe(r.personYears);
    expect(named.taxonomy).toBe("occ1990dd");
  });

  it("places nearly every coded person-year in occ1990dd", () => {
    const m = r.codeMapping!;
    expect(m.placedPersonYears / m.codedPersonYears).toBeGreaterThan(COVERAGE_FLOOR);
    expect(r.refused["census 1980 code not placed in occ1990dd"] ?? 0).toBe(m.codedPersonYears - m.placedPersonYears);
  });
});

/** Measured with the committed mapping (data/crosswalks); a lower share means the mapping lost codes. */
const COVERAGE_FLOOR = 0.99;
