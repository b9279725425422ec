// Adapter for NLS Investigator extracts of the NLSY79 cohort (../shared/data/panels/nlsy79/README.md): three
// wide CSV files, one line per respondent (`R0000100`), one column per interview year, NLS missing-value codes
// (-1 refused, -2 don't know, -3 invalid skip, -4 valid skip, -5 not interviewed).
//
//   occupation_cps1980.csv       the CPS job's occupation, a 1980 Census code, 1982-1994 yearly, then every 2 years
//   highest_grade_completed.csv  highest grade completed as of May 1 of each year
//   demographics.csv             birth year, sex, race/ethnicity
//
// One unit of the report is a person-year cell of the occupation file. What a cell becomes:
//   a 1980 Census code       its occ1990dd code (core/titles: census1980ToOcc1990dd); a code no source places
//                            is refused, never guessed
//   -4 (no current job)      EDU when the highest grade completed rose that year (it is above the latest
//                            earlier value on record), else NOWORK ("Not working"): these files cannot tell
//                            unemployment from being out of the labour force, so neither is claimed
//   -5 (not interviewed)     no person-year: a gap in the career, counted
//   -1, -2, -3, empty        refused, counted by kind
// Education is per year (CareerYear.education): the latest grade on record at or before that year, coarsened
// as for nlswork. Race 3 ("non-Black, non-Hispanic") has no value of its own in the project's vocabulary and
// is left unknown rather than called white or other; region is not in these files.
import path from "node:path";
import type { EducationLevel, Person, Sex, Race } from "../../core/career.ts";
import { census1980ToOcc1990dd } from "../../core/titles/census1980.ts";
import { dataPath } from "../lib/paths.ts";
import { assemblePanel } from "./assemble.ts";
import { cell, IngestLog } from "./log.ts";
import { educationFromGrade } from "./nlswork.ts";
import { parseInteger } from "./schema.ts";
import { readTable, type Table } from "./table.ts";
import type { Panel } from "./types.ts";

export const NLSY79_FILES = {
  occupation: "occupation_cps1980.csv",
  grade: "highest_grade_completed.csv",
  demographics: "demographics.csv",
} as const;
const ID = "R0000100";
const DEMOGRAPHICS = { birthYear: "R0000500", race: "R0214700", sex: "R0214800" } as const;

const NLS_MISSING: Record<number, string> = {
  [-1]: "refused (-1)",
  [-2]: "don't know (-2)",
  [-3]: "invalid skip (-3)",
  [-5]: "not interviewed (-5): a gap in the career",
};
const NO_JOB = -4;
const SEX: Record<number, Sex> = { 1: "male", 2: "female" };
const RACE: Record<number, Race | undefined> = { 1: "hispanic", 2: "black", 3: undefined };
/** Years of schooling the grade file can hold; 95 (ungraded) and the rest are unknown. */
const MAX_GRADE = 20;

export const defaultNlsy79Dir = (): string => dataPath("panels", "nlsy79");

/** The year columns of a wide file, in order (the id column aside). */
function yearColumns(table: Table): string[] {
  const years = table.header.filter((h) => h !== ID);
  const bad = years.filter((h) => !/^\d{4}$/.test(h));
  if (bad.length) throw new Error(`${table.file}: columns ${bad.join(", ")} are not years`);
  return years;
}

/** Each respondent's known grades by year (0-20), from the grade file. */
function readGrades(file: string): Map<string, Map<number, number>> {
  const table = readTable(file, [ID]);
  const years = yearColumns(table);
  const grades = new Map<string, Map<number, number>>();
  for (const r of table.rows) {
    const id = r.fields[ID];
    if (!id) continue;
    const byYear = new Map<number, number>();
    for (const y of years) {
      const g = parseInteger(r.fields[y] ?? "");
      if (g !== undefined && g >= 0 && g <= MAX_GRADE) byYear.set(Number(y), g);
    }
    grades.set(id, byYear);
  }
  return grades;
}

/** The latest grade on record strictly before `year` (undefined when none). */
function gradeBefore(grades: ReadonlyMap<number, number>, year: number): number | undefined {
  let best: [number, number] | undefined;
  for (const [y, g] of grades) if (y < year && (!best || y > best[0])) best = [y, g];
  return best?.[1];
}

function educationAsOf(grades: ReadonlyMap<number, number> | undefined, year: number): EducationLevel | undefined {
  if (!grades) return undefined;
  const g = grades.get(year) ?? gradeBefore(grades, year);
  return g === undefined ? undefined : educationFromGrade(g);
}

/** Birth year, sex and race by respondent; NLS missing codes leave a field unknown. */
function readDemographics(file: string): Map<string, Person> {
  const table = readTable(file, [ID, DEMOGRAPHICS.birthYear, DEMOGRAPHICS.race, DEMOGRAPHICS.sex]);
  const people = new Map<string, Person>();
  for (const r of table.rows) {
    const id = r.fields[ID];
    if (!id) continue;
    const person: Person = {};
    const yy = parseInteger(r.fields[DEMOGRAPHICS.birthYear] ?? "");
    if (yy !== undefined && yy >= 0 && yy <= 99) person.birth_year = 1900 + yy;
    const sex = SEX[parseInteger(r.fields[DEMOGRAPHICS.sex] ?? "") ?? 0];
    if (sex) person.sex = sex;
    const race = RACE[parseInteger(r.fields[DEMOGRAPHICS.race] ?? "") ?? 0];
    if (race) person.race = race;
    people.set(id, person);
  }
  return people;
}

/** Reads the three files of an NLS Investigator NLSY79 extract from `dir`. */
export function readNlsy79(dir: string = defaultNlsy79Dir()): Panel {
  const occupationFile = path.join(dir, NLSY79_FILES.occupation);
  const table = readTable(occupationFile, [ID]);
  const years = yearColumns(table);
  const log = new IngestLog(occupationFile);
  const grades = readGrades(path.join(dir, NLSY79_FILES.grade));
  const people = readDemographics(path.join(dir, NLSY79_FILES.demographics));

  const kept: { personId: string; year: number; occupation: string; education?: EducationLevel }[] = [];
  const coded = new Map<string, { personYears: number; placed: boolean }>();
  for (const r of table.rows) {
    const id = r.fields[ID] ?? "";
    const malformed = r.width !== table.header.length ? `${r.width} fields, the header has ${table.header.length}` : !id ? `${ID} is empty` : undefined;
    if (malformed) {
      for (const y of years) log.refuse(r.line, y, r.width !== table.header.length ? "wrong number of fields" : `${ID} missing`, malformed, cell(r.line, y));
      continue;
    }
    const personGrades = grades.get(id);
    for (const y of years) {
      const year = Number(y);
      const unit = cell(r.line, y);
      const text = r.fields[y] ?? "";
      const value = parseInteger(text);
      if (value === undefined) {
        log.refuse(r.line, y, text ? "occupation invalid" : "occupation missing", `${y} ${JSON.stringify(text)} is not a code`, unit);
        continue;
      }
      let occupation: string | undefined;
      if (value === NO_JOB) {
        const now = personGrades?.get(year), before = personGrades && gradeBefore(personGrades, year);
        occupation = now !== undefined && before !== undefined && now > before ? "EDU" : "NOWORK";
      } else if (value < 0) {
        log.refuse(r.line, y, NLS_MISSING[value] ?? "occupation invalid", `${y} is ${value}`, unit);
        continue;
      } else {
        occupation = census1980ToOcc1990dd(value);
        const tally = coded.get(String(value)) ?? { personYears: 0, placed: occupation !== undefined };
        tally.personYears++;
        coded.set(String(value), tally);
        if (occupation === undefined) {
          log.refuse(r.line, y, "census 1980 code not placed in occ1990dd", `${y}: census 1980 code ${value} has no occ1990dd code in the mapping`, unit);
          continue;
        }
      }
      const education = educationAsOf(personGrades, year);
      kept.push({ personId: id, year, occupation, ...(education ? { education } : {}) });
    }
  }

  const panel = assemblePanel({
    source: "nlsy79",
    taxonomy: "occ1990dd",
    log,
    rows: table.rows.length * years.length,
    rowUnit: "person-year",
    people,
    years: kept,
  });
  const tallies = [...coded];
  panel.report.codeMapping = {
    from: "census1980",
    to: "occ1990dd",
    codedPersonYears: tallies.reduce((n, [, t]) => n + t.personYears, 0),
    placedPersonYears: tallies.reduce((n, [, t]) => n + (t.placed ? t.personYears : 0), 0),
    distinctCodes: tallies.length,
    unplacedCodes: tallies.filter(([, t]) => !t.placed).map(([code, t]) => ({ code, personYears: t.personYears })).sort((a, b) => b.personYears - a.personYears),
  };
  return panel;
}
