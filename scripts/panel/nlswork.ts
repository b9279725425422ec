// Adapter for nlswork.csv: the National Longitudinal Survey of Young Women 14-26 in 1968, as distributed
// as Stata's `nlswork` example data (one row per interview: idcode, two-digit year, covariates, occ_code).
import type { EducationLevel, Person, Race, Region } from "../../core/career.ts";
import { dataPath } from "../lib/paths.ts";
import { assemblePanel, personIdOrRefuse, dropRepeatedPersonYears, settlePeople } from "./assemble.ts";
import { IngestLog } from "./log.ts";
import { occupationCodes, parseWholeNumber } from "./schema.ts";
import { readTable } from "./table.ts";
import type { Panel } from "./types.ts";

export const NLSWORK_COLUMNS = ["idcode", "year", "birth_yr", "race", "grade", "south", "occ_code"] as const;

const RACE: Record<number, Race> = { 1: "white", 2: "black", 3: "other" };
const SOUTH: Record<number, Region> = { 1: "south", 0: "non-south" };

/** Years of school completed -> the coarse education level of the resume header. */
export function educationFromGrade(grade: number): EducationLevel {
  if (grade < 12) return "less than high school";
  if (grade === 12) return "high school";
  if (grade <= 15) return "some college";
  if (grade === 16) return "bachelor's degree";
  return "graduate degree";
}

/** The file writes years as two digits, all 19xx: a conversion of the documented format, not a fix. */
function twoDigitYear(text: string): number | undefined {
  const n = parseWholeNumber(text);
  return n !== undefined && n <= 99 ? 1900 + n : undefined;
}

type Covariate = [
  field: keyof Person,
  column: (typeof NLSWORK_COLUMNS)[number],
  /** A non-empty value read; undefined: invalid, kept as unknown. */
  read: (text: string) => string | number | undefined,
  expected: string,
];
const COVARIATES: readonly Covariate[] = [
  ["birth_year", "birth_yr", twoDigitYear, "a two-digit year"],
  ["race", "race", (t) => RACE[parseWholeNumber(t) ?? -1], "1, 2 or 3"],
  ["education", "grade", (t) => {
    const grade = parseWholeNumber(t);
    return grade === undefined ? undefined : educationFromGrade(grade);
  }, "a whole number of years of school"],
  ["region", "south", (t) => SOUTH[parseWholeNumber(t) ?? -1], "0 or 1"],
];

interface NlsRow {
  line: number;
  personId: string;
  year: number;
  occupation: string;
  person: Person;
  fixes: [column: string, message: string][];
}

export function readNlswork(file: string = dataPath("panels", "nlswork.csv")): Panel {
  const table = readTable(file, NLSWORK_COLUMNS);
  const log = new IngestLog(file);
  const codes = occupationCodes("nlswork");
  const valid: NlsRow[] = [];

  for (const r of table.rows) {
    const f = (c: (typeof NLSWORK_COLUMNS)[number]): string => r.fields[c] ?? "";
    const personId = personIdOrRefuse(r, table, "idcode", log);
    if (personId === undefined) continue;
    const year = twoDigitYear(f("year"));
    if (year === undefined) {
      log.refuse(r.line, "year", "year invalid", `year ${JSON.stringify(f("year"))} is not a two-digit year`);
      continue;
    }
    // A missing occupation leaves a gap in the career: the person-year is refused, the person is kept.
    const occText = f("occ_code");
    if (!occText) {
      log.refuse(r.line, "occ_code", "occupation missing", "occ_code is empty");
      continue;
    }
    const occ = parseWholeNumber(occText);
    if (occ === undefined || !codes.has(String(occ))) {
      log.refuse(r.line, "occ_code", "occupation not in taxonomy", `occ_code ${JSON.stringify(occText)} is not one of 1-13`);
      continue;
    }

    // Every respondent of the NLS Young Women cohort is a woman: the file has no sex column.
    const person: Person = { sex: "female" };
    const fixes: [column: string, message: string][] = [];
    for (const [field, column, read, expected] of COVARIATES) {
      const text = f(column);
      if (text === "") continue; // missing covariate: unknown
      const value = read(text);
      // An unreadable covariate costs the row that covariate only (counted once the row is known to be kept).
      if (value === undefined) fixes.push([column, `${column} ${JSON.stringify(text)} is not ${expected}: kept as unknown`]);
      else (person as Record<string, string | number>)[field] = value;
    }
    valid.push({ line: r.line, personId, year, occupation: String(occ), person, fixes });
  }

  const kept = dropRepeatedPersonYears(valid, log, { personId: "idcode", year: "year" });
  for (const r of kept) for (const [column, message] of r.fixes) log.fix(r.line, column, `${column} invalid: kept as unknown`, message);
  const people = settlePeople(
    kept.map((r) => ({ line: r.line, personId: r.personId, person: r.person, when: r.year })),
    log,
    { birth_year: "birth_yr", race: "race", education: "grade", region: "south" },
  );
  return assemblePanel({
    source: "nlswork",
    taxonomy: "nlswork",
    log,
    rows: table.rows.length,
    rowUnit: "person-year",
    people,
    years: kept,
  });
}
