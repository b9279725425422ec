import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dataPath, repoPath } from "../../scripts/lib/paths.ts";
import { formatReport, ingest } from "../../scripts/panel/ingest.ts";
import { settlePeople } from "../../scripts/panel/assemble.ts";
import { readJobHop, yearsFromSpells } from "../../scripts/panel/jobhop.ts";
import { IngestLog } from "../../scripts/panel/log.ts";
import { readNlswork } from "../../scripts/panel/nlswork.ts";
import { educationByYear, panelCsvText, readPanelCsv, writePanelCsv } from "../../scripts/panel/panel-csv.ts";
import { PANEL_COLUMNS, PANEL_REFUSALS } from "../../scripts/panel/schema.ts";
import type { Panel, RowIssue } from "../../scripts/panel/types.ts";

const fixture = (name: string): string => repoPath("test", "fixtures", "panels", name);
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const historyOf = (panel: Panel, id: string): string =>
  panel.careers.find((c) => c.id === id)!.history.map((h) => `${h.year}:${h.occupation}`).join(" ");
/** Issue -> "line field kind" for compact exact comparisons. */
const brief = (i: RowIssue): string => `${i.line} ${i.field} ${i.outcome}: ${i.kind}`;

/** Invariants every ingest must hold, whatever the input. */
function expectAccountedFor(panel: Panel): void {
  const r = panel.report;
  expect(r.kept + sum(r.refused)).toBe(r.rows);
  expect(r.people).toBe(panel.careers.length);
  expect(r.personYears).toBe(panel.careers.reduce((n, c) => n + c.history.length, 0));
  for (const c of panel.careers) {
    expect(c.history.length).toBeGreaterThan(0);
    for (let i = 1; i < c.history.length; i++) expect(c.history[i]!.year).toBeGreaterThan(c.history[i - 1]!.year);
  }
  const states = new Set(panel.careers.flatMap((c) => c.history.map((h) => h.occupation)));
  expect(panel.specialStates).toEqual(["EDU", "UNEMP", "NILF"].filter((s) => states.has(s)));
  for (const i of r.issues) expect(i.file).toBe(r.file);
}

describe("nlswork (the real file)", () => {
  const panel = readNlswork();
  // An independent count from the raw text (the file has no quoted fields).
  const [header, ...lines] = readFileSync(dataPath("panels", "nlswork.csv"), "utf8").trim().split("\n");
  const col = Object.fromEntries(header!.split(",").map((name, i) => [name, i]));
  const raw = lines.map((l) => l.split(","));
  const withOcc = raw.filter((f) => f[col.occ_code!] !== "");

  it("accounts for every row: 28,534 rows, 121 refused as occupation missing", () => {
    expect(raw.length).toBe(28_534);
    expect(raw.length - withOcc.length).toBe(121);
    expect(panel.report.rows).toBe(28_534);
    expect(panel.report.refused).toEqual({ "occupation missing": 121 });
    expect(panel.report.kept).toBe(28_413);
    expect(panel.report.personYears).toBe(28_413);
    expectAccountedFor(panel);
  });

  it("has 4,711 women in the file, 4,699 with at least one occupation", () => {
    expect(new Set(raw.map((f) => f[col.idcode!])).size).toBe(4_711);
    const kept = new Set(withOcc.map((f) => f[col.idcode!]));
    expect(kept.size).toBe(4_699);
    expect(panel.report.people).toBe(4_699);
    expect(panel.careers.map((c) => c.id).sort()).toEqual([...kept].sort());
  });

  it("covers 1968-1988, no person-year twice, codes 1-13 as integers", () => {
    const years = panel.careers.flatMap((c) => c.history.map((h) => h.year));
    expect(Math.min(...years)).toBe(1968);
    expect(Math.max(...years)).toBe(1988);
    const keys = panel.careers.flatMap((c) => c.history.map((h) => `${c.id}/${h.year}`));
    expect(new Set(keys).size).toBe(keys.length);
    const codes = new Set(panel.careers.flatMap((c) => c.history.map((h) => h.occupation)));
    expect([...codes].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 13 }, (_, i) => String(i + 1)),
    );
    expect(panel.source).toBe("nlswork");
    expect(panel.taxonomy).toBe("nlswork");
    expect(panel.specialStates).toEqual([]);
  });

  it("counts as fixed exactly the rows whose south flag is not the person's most frequent", () => {
    const byPerson = new Map<string, Map<string, number>>();
    for (const f of withOcc) {
      const south = f[col.south!]!;
      if (south === "") continue;
      const tally = byPerson.get(f[col.idcode!]!) ?? new Map<string, number>();
      tally.set(south, (tally.get(south) ?? 0) + 1);
      byPerson.set(f[col.idcode!]!, tally);
    }
    let minority = 0;
    for (const tally of byPerson.values()) {
      const counts = [...tally.values()];
      minority += counts.reduce((a, b) => a + b, 0) - Math.max(...counts);
    }
    expect(minority).toBe(1_088);
    expect(panel.report.fixed).toEqual({ "region differs across the person's rows: most frequent kept": 1_088 });
  });

  it("reads person 1 as the raw rows say", () => {
    const rows = raw.filter((f) => f[col.idcode!] === "1");
    const c = panel.careers.find((x) => x.id === "1")!;
    expect(c.person).toEqual({ birth_year: 1951, sex: "female", race: "black", education: "high school", region: "non-south" });
    expect(c.history).toEqual(
      rows.map((f) => ({ year: 1900 + Number(f[col.year!]), occupation: String(Number(f[col.occ_code!])) })),
    );
    expect(historyOf(panel, "1")).toBe("1970:3 1971:6 1972:6 1973:6 1975:6 1977:8 1978:6 1980:6 1983:6 1985:6 1987:6 1988:6");
  });

  it("round-trips through the panel CSV format unchanged", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panel-test-"));
    try {
      const file = path.join(dir, "nlswork.csv");
      writePanelCsv(panel, file);
      const again = readPanelCsv(file, { source: "nlswork", taxonomy: "nlswork" });
      // The panel CSV records education by year: nlswork's settled value comes back on each of its years.
      expect(again.careers).toEqual(educationByYear(panel.careers));
      expect(again.report.rows).toBe(28_413);
      expect(again.report.refused).toEqual({});
      expect(again.report.fixed).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("nlswork adapter on bad rows", () => {
  const panel = readNlswork(fixture("nlswork-bad-rows.csv"));
  const r = panel.report;

  it("refuses each bad row once, naming file, line and column", () => {
    expectAccountedFor(panel);
    expect([r.rows, r.kept, r.people, r.personYears]).toEqual([16, 12, 8, 12]);
    expect(r.refused).toEqual({
      "occupation missing": 1,
      "duplicate person-year": 1,
      "occupation not in taxonomy": 1,
      "year invalid": 1,
    });
    expect(r.fixed).toEqual({
      "birth_year differs across the person's rows: most frequent kept": 1,
      "grade invalid: kept as unknown": 1,
      "race invalid: kept as unknown": 1,
      "region differs across the person's rows: most frequent kept": 1,
    });
    expect(r.issues.map(brief)).toEqual([
      "3 south fixed: region differs across the person's rows: most frequent kept",
      "4 occ_code refused: occupation missing",
      "7 birth_yr fixed: birth_year differs across the person's rows: most frequent kept",
      "9 year refused: duplicate person-year",
      "10 occ_code refused: occupation not in taxonomy",
      "11 race fixed: race invalid: kept as unknown",
      "12 year refused: year invalid",
      "17 grade fixed: grade invalid: kept as unknown",
    ]);
    expect(r.issues.every((i) => i.file === fixture("nlswork-bad-rows.csv"))).toBe(true);
  });

  it("converts years, race, grade and south; an unreadable covariate is unknown, its row kept", () => {
    expect(panel.careers.map((c) => c.id)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    expect(historyOf(panel, "3")).toBe("1977:3"); // race 4 unreadable: kept, race unknown
    expect(panel.careers.find((c) => c.id === "8")!.person.education).toBeUndefined(); // grade 12.5
    expect(historyOf(panel, "1")).toBe("1970:3 1971:6 1973:6");
    expect(historyOf(panel, "2")).toBe("1968:1 1969:1 1970:2");
    const person = (id: string) => panel.careers.find((c) => c.id === id)!.person;
    expect(person("1")).toEqual({ birth_year: 1951, sex: "female", race: "black", education: "high school", region: "non-south" });
    expect(person("2")).toEqual({ birth_year: 1945, sex: "female", race: "white", education: "bachelor's degree", region: "south" });
    expect(person("4")).toEqual({ birth_year: 1952, sex: "female", race: "other", region: "non-south" }); // grade missing
    expect(person("5").education).toBe("graduate degree"); // grade 17
    expect(person("6").education).toBe("some college"); // grade 13
    expect(person("7").education).toBe("some college"); // grade 15
  });
});

describe("panel CSV format", () => {
  const file = fixture("panel-bad-rows.csv");
  const panel = readPanelCsv(file, { source: "fixture", taxonomy: "nlswork" });
  const r = panel.report;

  it("refuses every kind of bad row with its line and field, and counts each kind", () => {
    expectAccountedFor(panel);
    expect([r.rows, r.kept, r.people, r.personYears]).toEqual([26, 16, 6, 16]);
    expect(r.issues.map(brief)).toEqual([
      "4 region fixed: region differs across the person's rows: most frequent kept",
      "5 person_id refused: person_id missing",
      "6 year refused: year out of range",
      "7 year refused: year not an integer",
      "8 year refused: year missing",
      "9 occupation refused: occupation missing",
      "10 occupation refused: occupation not in taxonomy",
      "11 birth_year fixed: birth_year invalid: kept as unknown",
      "12 birth_year fixed: birth_year invalid: kept as unknown",
      "13 birth_year fixed: birth_year invalid: kept as unknown",
      "14 sex fixed: sex invalid: kept as unknown",
      "15 race fixed: race invalid: kept as unknown",
      "16 education fixed: education invalid: kept as unknown",
      "17 region fixed: region invalid: kept as unknown",
      "19 year refused: duplicate person-year",
      "20 year refused: conflicting person-year",
      "21 birth_year fixed: birth_year differs across the person's rows: most frequent kept",
      "23 sex refused: wrong number of fields",
      "24 (row) refused: wrong number of fields",
    ]);
    expect(r.issues.every((i) => i.file === file)).toBe(true);
    const refusedKinds = Object.keys(r.refused).sort();
    expect(refusedKinds).toEqual([...PANEL_REFUSALS].sort()); // the fixture exercises every refusal
    expect(r.refused["wrong number of fields"]).toBe(2);
    expect(sum(r.refused)).toBe(10);
    // A covariate that cannot be read costs the row nothing but that covariate.
    expect(r.fixed).toEqual({
      "birth_year differs across the person's rows: most frequent kept": 1,
      "birth_year invalid: kept as unknown": 3,
      "education invalid: kept as unknown": 1,
      "race invalid: kept as unknown": 1,
      "region differs across the person's rows: most frequent kept": 1,
      "region invalid: kept as unknown": 1,
      "sex invalid: kept as unknown": 1,
    });
    expect(historyOf(panel, "g")).toBe("1980:1 1981:1 1982:1 1983:1 1984:1 1985:1 1986:1");
    expect(panel.careers.find((c) => c.id === "g")!.person).toEqual({});
  });

  it("sorts careers by year, settles covariates (education stays by year), keeps quoted and trimmed ids", () => {
    const career = (id: string) => panel.careers.find((c) => c.id === id)!;
    expect(panel.careers.map((c) => c.id)).toEqual(["a", "g", "b", "d, the second", "e\ne", "f"]);
    expect(historyOf(panel, "a")).toBe("1978:4 1979:NILF 1980:6");
    expect(career("a").person).toEqual({ birth_year: 1952, sex: "female", race: "black", region: "south" });
    expect(career("a").history.map((h) => h.education)).toEqual(["high school", "high school", "high school"]);
    expect(historyOf(panel, "b")).toBe("1990:1 1991:UNEMP 1992:2");
    expect(career("b").person).toEqual({ birth_year: 1960, sex: "male", race: "white", region: "west" });
    expect(career("b").history.map((h) => h.education)).toEqual(["some college", undefined, undefined]);
    expect(historyOf(panel, "e\ne")).toBe("2000:1"); // a record over lines 27-28 ...
    expect(historyOf(panel, "f")).toBe("2001:5"); // ... so the next one is on line 29
    expect(career("f").person).toEqual({ birth_year: 1970, sex: "female" });
    expect(panel.specialStates).toEqual(["UNEMP", "NILF"]);
    expect(panel.source).toBe("fixture");
  });

  it("writes what it reads", () => {
    const text = panelCsvText(panel);
    expect(text.split("\n")[0]).toBe(PANEL_COLUMNS.join(","));
    expect(text).toContain('"d, the second",1990,13,,,,,\n');
    const dir = mkdtempSync(path.join(tmpdir(), "panel-test-"));
    try {
      const out = path.join(dir, "sub", "out.csv");
      writePanelCsv(panel, out);
      const again = readPanelCsv(out, { source: "fixture", taxonomy: "nlswork" });
      expect(again.careers).toEqual(panel.careers);
      expect(again.report.kept).toBe(again.report.rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("breaks covariate ties by the latest row and never counts unknowns as conflicts", () => {
    const log = new IngestLog("f.csv");
    const people = settlePeople(
      [
        { line: 2, personId: "p", person: { region: "west", sex: "male" }, when: 1990 },
        { line: 3, personId: "p", person: { region: "south" }, when: 1992 },
        { line: 4, personId: "p", person: {}, when: 1991 },
      ],
      log,
    );
    expect(people.get("p")).toEqual({ region: "south", sex: "male" });
    const r = log.report({ rows: 3, people: 1, personYears: 3, rowUnit: "person-year" });
    expect(r.fixed).toEqual({ "region differs across the person's rows: most frequent kept": 1 });
    expect(r.issues.map(brief)).toEqual(["2 region fixed: region differs across the person's rows: most frequent kept"]);
  });

  it("reports the first line of each record with CRLF line ends, a BOM and quoted line breaks", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panel-test-"));
    try {
      const file = path.join(dir, "crlf.csv");
      writeFileSync(file, "\uFEFFperson_id,year,occupation\r\n\"a\r\nb\",1990,4\r\n\r\nc,1990,x\r\nd,1991,NILF\r\n");
      const p = readPanelCsv(file, { source: "c", taxonomy: "nlswork" });
      expect(p.report.issues.map(brief)).toEqual(["5 occupation refused: occupation not in taxonomy"]);
      expect(p.careers.map((c) => c.id)).toEqual(["a\r\nb", "d"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts a file with the required columns only", () => {
    const p = readPanelCsv(fixture("panel-minimal.csv"), { source: "m", taxonomy: "nlswork" });
    expect(p.careers).toEqual([{ id: "x", person: {}, history: [{ year: 1990, occupation: "4" }] }]);
  });

  it("rejects a file without a required column or with an unknown column", () => {
    expect(() => readPanelCsv(fixture("panel-no-occupation-column.csv"), { source: "x", taxonomy: "nlswork" })).toThrow(
      /lacks required column\(s\) occupation/,
    );
    expect(() => readPanelCsv(fixture("panel-unknown-column.csv"), { source: "x", taxonomy: "nlswork" })).toThrow(
      /unknown column\(s\) educaton/,
    );
  });

  it("checks codes against the chosen taxonomy", () => {
    const p = readPanelCsv(fixture("panel-minimal.csv"), { source: "m", taxonomy: "isco08" });
    expect(p.report.refused).toEqual({ "occupation not in taxonomy": 1 });
    expect(p.careers).toEqual([]);
  });

  it("is documented in docs/panel-format.md: every column and refusal kind", () => {
    const doc = readFileSync(repoPath("docs", "panel-format.md"), "utf8");
    for (const c of PANEL_COLUMNS) expect(doc).toContain(`\`${c}\``);
    for (const k of PANEL_REFUSALS) expect(doc).toContain(k);
  });
});

describe("JobHop (the 24-person sample)", () => {
  const panel = readJobHop();
  const r = panel.report;

  it("accounts for all 130 spells", () => {
    expectAccountedFor(panel);
    expect(r.rowUnit).toBe("spell");
    expect([r.rows, r.kept, r.people, r.personYears]).toEqual([130, 122, 24, 270]);
    expect(r.refused).toEqual({ "occupation unknown": 6, "start date missing": 2 });
    expect(r.fixed).toEqual({ "end date missing: one quarter": 10 });
    expect(r.issues.filter((i) => i.kind === "start date missing").map((i) => i.line)).toEqual([44, 88]);
    expect(panel.source).toBe("jobhop");
    expect(panel.taxonomy).toBe("isco08");
  });

  it("turns spells into one ISCO-08 unit group per year (worked out by hand)", () => {
    // 5: 3344.1 Q1-Q4 2013 (4 quarters of 2013) beats 3343.1 from Q4 2013 (1 quarter); 3343 to 2018.
    expect(historyOf(panel, "5")).toBe("2013:3344 2014:3343 2015:3343 2016:3343 2017:3343 2018:3343");
    // 14: five spells without an end date are one quarter each; 2310.1.42 -> 2310.
    expect(historyOf(panel, "14")).toBe("2005:9313 2006:9313 2007:9211 2008:9313 2009:2310 2010:5131 2011:5131 2014:3133");
    // 24: the "unknown" spell is refused; ties of four quarters go to the spell that started latest.
    expect(historyOf(panel, "24")).toBe("2010:3412 2011:3341 2012:3322 2013:3322");
    // 78: 2011 has 3432 (Q1-Q2) and 5223 (Q3-Q4) at two quarters each: 5223 started later.
    expect(historyOf(panel, "78")).toBe("2004:3343 2005:8111 2007:6113 2009:2621 2010:9111 2011:5223 2012:3432 2013:1212");
    // 108: three "unknown" spells refused, 3435.12 covers Q4 2015-Q1 2016, 5311.1.2 Q1 2017-Q1 2018.
    expect(historyOf(panel, "108")).toBe("2015:3435 2016:3435 2017:5311 2018:5311");
    // 152: two spells Q1-Q2 2016 with the same start: the one listed later (8183.7) wins.
    expect(historyOf(panel, "152")).toBe("2014:9412 2016:8183");
    const person = (id: string) => panel.careers.find((c) => c.id === id)!.person;
    expect(person("5")).toEqual({ education: "bachelor's degree" });
    expect(person("24")).toEqual({ education: "graduate degree" });
    expect(person("74")).toEqual({ education: "high school" });
    expect(person("41")).toEqual({}); // "None": unknown
  });
});

describe("JobHop adapter on bad rows", () => {
  const panel = readJobHop(fixture("jobhop-bad-rows.csv"));
  const r = panel.report;

  it("refuses and fixes each row as documented", () => {
    expectAccountedFor(panel);
    expect([r.rows, r.kept, r.people, r.personYears]).toEqual([16, 7, 3, 5]);
    expect(r.issues.map(brief)).toEqual([
      "4 university_level fixed: education differs across the person's rows: most frequent kept",
      "5 matched_code refused: occupation unknown",
      "6 matched_code refused: occupation not in taxonomy",
      "7 matched_code refused: occupation code invalid",
      "8 matched_code refused: occupation missing",
      "9 start_date refused: start date invalid",
      "10 end_date refused: end date invalid",
      "11 end_date refused: end before start",
      "12 start_date refused: start date missing",
      "13 end_date fixed: end date missing: one quarter",
      "14 university_level fixed: university_level not recognised: education unknown",
      "17 resume_id refused: resume_id missing",
    ]);
    expect(sum(r.refused)).toBe(9);
    expect(sum(r.fixed)).toBe(3);
  });

  it("merges overlapping spells of one group and maps education", () => {
    // p1 2011: 2411 covers all four quarters (two spells), 3343 three: 2411.
    expect(historyOf(panel, "p1")).toBe("2010:2411 2011:2411 2012:5120");
    expect(historyOf(panel, "p2")).toBe("2003:7231");
    expect(historyOf(panel, "p3")).toBe("2016:9112");
    expect(panel.careers.map((c) => c.person)).toEqual([{ education: "bachelor's degree" }, {}, { education: "graduate degree" }]);
  });

  it("counts a quarter once per group even when spells overlap", () => {
    const years = yearsFromSpells([
      { line: 2, personId: "x", occupation: "1111", start: 2000 * 4, end: 2000 * 4 + 2 },
      { line: 3, personId: "x", occupation: "1111", start: 2000 * 4, end: 2000 * 4 + 2 },
      { line: 4, personId: "x", occupation: "2222", start: 2000 * 4, end: 2000 * 4 + 3 },
    ]);
    expect(years).toEqual([{ personId: "x", year: 2000, occupation: "2222" }]);
  });
});

describe("ingest CLI", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("prints counts by kind and the first issues as file:line field", () => {
    const text = formatReport(ingest("panel", { file: fixture("panel-bad-rows.csv"), taxonomy: "nlswork" }), 3);
    expect(text).toContain("rows (person-years)");
    expect(text).toMatch(/wrong number of fields\s+2/);
    expect(text).toContain(`${fixture("panel-bad-rows.csv")}:5 person_id: refused (person_id missing)`);
    expect(text.match(/panel-bad-rows\.csv:\d+ /g)).toHaveLength(3);
  });

  it("checks its options", () => {
    expect(() => ingest("panel", { file: fixture("panel-minimal.csv") })).toThrow(/needs --taxonomy/);
    expect(() => ingest("panel", { file: fixture("panel-minimal.csv"), taxonomy: "isco99" })).toThrow(/unknown taxonomy/);
    expect(() => ingest("jobhop", { taxonomy: "nlswork" })).toThrow(/isco08/);
    expect(ingest("panel", { file: fixture("panel-minimal.csv"), taxonomy: "nlswork" }).source).toBe("panel-minimal");
  });
});
