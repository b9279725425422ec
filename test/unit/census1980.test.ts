// 1980 Census occupation codes -> occ1990dd: the table in data/crosswalks/ (IPUMS OCC1990 crosswalk + Dorn's
// recode), its rebuild from the committed source tables, its coverage of the NLSY79 panel, the ingest's
// census1980ToOcc1990dd() and the census1980 code system of convertCode().
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HistoryInputEntrySchema } from "../../core/contract.ts";
import { getTaxonomy } from "../../core/taxonomy.ts";
import { census1980ToOcc1990dd, CODE_SYSTEMS, convertCode, defaultCrosswalks } from "../../core/titles/index.ts";
import {
  applyRecode,
  buildCensus1980Rows,
  census1980Coverage,
  CENSUS1980_FILE,
  readIpumsXwalk,
  readNlsy79Codes,
  readRecodeRules,
  serialiseCensus1980Csv,
} from "../../scripts/build-census1980.ts";
import { readCsv } from "../../scripts/lib/csv.ts";

const labels = new Set(getTaxonomy("occ1990dd").labels.map((l) => l.code));
/** Targets the sources give that occ1990dd.csv has no row for (documented in data/crosswalks/README.md). */
const DOCUMENTED_SPECIALS = new Set(["225", "346", "475", "679", "905", "999"]);

const table = readCsv(CENSUS1980_FILE).map((r) => r.fields);

describe("data/crosswalks/census1980_to_occ1990dd.csv", () => {
  it("parses: one row per 1980 code, every target an occ1990dd label or a documented special", () => {
    expect(Object.keys(table[0]!)).toEqual(["census1980", "occ1990dd", "source", "occ1990", "dorn_steps", "in_taxonomy"]);
    expect(table.length).toBe(511);
    expect(new Set(table.map((r) => r.census1980)).size).toBe(table.length);
    for (const r of table) {
      expect(r.census1980, JSON.stringify(r)).toMatch(/^\d{1,3}$/);
      expect(labels.has(r.occ1990dd!) || DOCUMENTED_SPECIALS.has(r.occ1990dd!), JSON.stringify(r)).toBe(true);
      expect(r.in_taxonomy, JSON.stringify(r)).toBe(labels.has(r.occ1990dd!) ? "yes" : "no");
      expect(["ipums-occ1990", "ipums-occ1990+dorn-recode"]).toContain(r.source);
      expect(r.source === "ipums-occ1990", JSON.stringify(r)).toBe(r.dorn_steps === "");
    }
    expect(table.filter((r) => r.in_taxonomy === "yes").length).toBe(500);
  });

  it("is rebuilt from the source tables byte for byte (npm run build:census1980)", () => {
    expect(serialiseCensus1980Csv(buildCensus1980Rows()) === readFileSync(CENSUS1980_FILE, "utf8"), "stale: npm run build:census1980").toBe(true);
  });

  it("maps known codes as the sources say, including 1980 codes whose number means another occ1990dd occupation", () => {
    const to = (c: string) => table.find((r) => r.census1980 === c)?.occ1990dd;
    expect(to("23")).toBe("23"); // accountants and auditors
    expect(to("337")).toBe("337"); // bookkeepers, accounting and auditing clerks
    expect(to("19")).toBe("22"); // managers and administrators, n.e.c. (occ1990dd 19 is funeral directors)
    expect(to("18")).toBe("19"); // funeral directors (occ1990dd 18 is property managers)
    expect(to("16")).toBe("18"); // managers, properties and real estate
    expect(to("17")).toBe("22"); // postmasters and mail superintendents (OCC1990 16, merged by Dorn)
    expect(to("3")).toBe("4"); // legislators
    expect(to("5")).toBe("22"); // administrators and officials, public administration
    expect(to("274")).toBe("275"); // sales workers, other commodities -> retail salespersons
    expect(to("128")).toBe("154"); // mathematics teachers, college -> subject instructors
    expect(to("46")).toBe("47"); // mining engineers
    expect(to("467")).toBe("177"); // welfare service aides
    expect(to("873")).toBe("873"); // production helpers (OCC1990 874)
    expect(to("406")).toBe("468"); // child care workers, private household
    expect(to("197")).toBe("13"); // public relations specialists
  });

  it("follows the recode rule by rule, in order, as Dorn's do-file does", () => {
    const rules = readRecodeRules();
    expect(rules.map((r) => r.step)).toEqual(rules.map((_, i) => i + 1));
    expect(applyRecode(433, 436, rules)).toEqual({ occ1990dd: 433, steps: [13] }); // food-service supervisors, filed with cooks by IPUMS
    expect(applyRecode(3, 3, rules)).toEqual({ occ1990dd: 4, steps: [47] });
    expect(applyRecode(23, 23, rules)).toEqual({ occ1990dd: 23, steps: [] });
    const { census1980 } = readIpumsXwalk();
    expect(census1980.size).toBe(511);
    expect(census1980.get(19)).toBe(22);
  });
});

describe("coverage of the NLSY79 panel (../shared/data/panels/nlsy79/occupation_cps1980.csv)", () => {
  const cov = census1980Coverage(readNlsy79Codes());

  it("places at least 99.5% of the coded person-years (measured 114,916 of 115,304)", () => {
    expect(cov.codedPersonYears).toBe(115_304);
    expect(cov.distinctCodes).toBe(550);
    expect(cov.mappedPersonYears / cov.codedPersonYears).toBeGreaterThanOrEqual(0.995);
    expect(cov.distinctMapped).toBeGreaterThanOrEqual(490);
  });

  it("differs from reading the 1980 codes as occ1990dd codes where the sources say so (measured 10,124 person-years)", () => {
    const other = cov.sameNumberOtherOccupation;
    expect(other.codes).toContainEqual({ code: 19, personYears: 5585, occ1990dd: 22 });
    expect(other.codes).toContainEqual({ code: 18, personYears: 21, occ1990dd: 19 });
    expect(other.personYears).toBeGreaterThan(10_000);
  });

  it("leaves out only codes no source places in the taxonomy", () => {
    const byCode = new Map(cov.unmapped.map((u) => [String(u.code), u]));
    for (const c of ["225", "475", "476", "679", "999", "346", "905"]) expect(byCode.get(c)?.reason, c).toMatch(/not one of the taxonomy's codes/);
    expect(byCode.get("590")?.reason).toMatch(/not a 1980 Census code/); // 1970 code for the armed forces
    for (const u of cov.unmapped) expect(census1980ToOcc1990dd(u.code), String(u.code)).toBeUndefined();
  });
});

describe("census1980ToOcc1990dd", () => {
  it("reads codes with or without leading zeros", () => {
    expect(census1980ToOcc1990dd("23")).toBe("23");
    expect(census1980ToOcc1990dd("023")).toBe("23");
    expect(census1980ToOcc1990dd("0019")).toBe("22");
    expect(census1980ToOcc1990dd(337)).toBe("337");
    expect(census1980ToOcc1990dd(" 777 ")).toBe("779");
  });

  it("refuses codes that are not 1980 codes, and those the sources send outside the taxonomy", () => {
    for (const c of ["590", "1234", "", "abc", "23.5", "-4", "2 3", "constructor", "toString", "__proto__"]) expect(census1980ToOcc1990dd(c), c).toBeUndefined();
    for (const c of ["225", "475", "905", "999", "0"]) expect(census1980ToOcc1990dd(c), c).toBeUndefined();
  });

  it("agrees with the table for every code", () => {
    for (const r of table) expect(census1980ToOcc1990dd(r.census1980!), r.census1980).toBe(r.in_taxonomy === "yes" ? r.occ1990dd : undefined);
  });
});

describe("convertCode with system census1980", () => {
  it("is a code system of the contract and of the shipped crosswalk tables", () => {
    expect(CODE_SYSTEMS).toContain("census1980");
    expect(HistoryInputEntrySchema.safeParse({ year: 1985, code: "019", system: "census1980" }).success).toBe(true);
    expect(Object.keys(defaultCrosswalks().tables.census1980_occ1990dd).length).toBe(511);
  });

  it("converts into occ1990dd, nlswork and isco08", () => {
    const occ = convertCode({ code: "019", system: "census1980" }, { taxonomy: "occ1990dd" });
    expect(occ).toMatchObject({ status: "ok", code: "19", system: "census1980" });
    expect(occ.candidates[0]).toMatchObject({ code: "22", title: "Managers and administrators, n.e.c.", confidence: 1, via: "census1980" });
    const nurse = convertCode({ code: "95", system: "census1980" }, { taxonomy: "occ1990dd" });
    expect(nurse.candidates[0]).toMatchObject({ code: "95", confidence: 1 });
    expect(convertCode({ code: "95", system: "census1980" }, { taxonomy: "nlswork" }).candidates[0]!.code).toBe("1"); // professional/technical
    const isco = convertCode({ code: "95", system: "census1980" }, { taxonomy: "isco08" });
    expect(isco.status).toBe("ok");
    expect(isco.candidates[0]!.code).toMatch(/^22/); // health professionals
    // As a census2010 code reaches the same occ1990dd code, both systems agree downstream.
    expect(convertCode({ code: "3255", system: "census2010" }, { taxonomy: "isco08" }).candidates).toEqual(isco.candidates);
  });

  it("refuses unknown codes and reports codes outside the taxonomy as no-mapping", () => {
    expect(convertCode({ code: "590", system: "census1980" }, { taxonomy: "occ1990dd" }).status).toBe("unknown-code");
    expect(convertCode({ code: "banana", system: "census1980" }, { taxonomy: "occ1990dd" }).status).toBe("unknown-code");
    expect(convertCode({ code: "constructor", system: "census1980" }, { taxonomy: "occ1990dd" }).status).toBe("unknown-code");
    expect(convertCode({ code: "225", system: "census1980" }, { taxonomy: "occ1990dd" }).status).toBe("no-mapping");
    expect(convertCode({ code: "999", system: "census1980" }, { taxonomy: "occ1990dd" }).status).toBe("no-mapping");
  });
});
