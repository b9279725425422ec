import { describe, expect, it } from "vitest";
import { getTaxonomy, LabelSet, SPECIAL_STATES, TAXONOMY_IDS } from "../../core/taxonomy.ts";

describe("taxonomy", () => {
  it("ships occ1990dd, the 13 nlswork groups and ISCO-08 unit groups with English titles", () => {
    expect(getTaxonomy("occ1990dd").labels).toHaveLength(341);
    expect(getTaxonomy("nlswork").labels.map((l) => l.code)).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1)));
    expect(getTaxonomy("nlswork").labels[3]).toEqual({ code: "4", title: "Clerical/unskilled" });
    expect(getTaxonomy("isco08").labels.length).toBeGreaterThan(400);
    for (const id of TAXONOMY_IDS)
      for (const l of getTaxonomy(id).labels) {
        expect(l.title.trim().length, `${id} ${l.code}`).toBeGreaterThan(0);
        expect(SPECIAL_STATES.map((s) => s.code)).not.toContain(l.code);
      }
  });

  it("builds a model's label set: occupations first, then the special states its data has", () => {
    const labels = LabelSet.of("occ1990dd", ["NILF", "EDU", "UNEMP"]);
    expect(labels.size).toBe(344);
    expect(labels.codes.slice(-3)).toEqual(["EDU", "UNEMP", "NILF"]);
    expect(labels.title("NILF")).toBe("Not in labor force");
    expect(labels.title("EDU")).toBe("In education");
    expect(labels.title("UNEMP")).toBe("Unemployed");
    expect(labels.specialStates()).toEqual(["EDU", "UNEMP", "NILF"]);
    expect(LabelSet.of("nlswork").specialStates()).toEqual([]);
    expect(labels.index(labels.codes[10]!)).toBe(10);
    expect(() => labels.index("nope")).toThrow();
  });
});
