// Adapter for JobHop (anonymised Flemish job-seeker resumes, ESCO-coded; CC BY 4.0): one row per job
// spell, `resume_id,matched_code,start_date,end_date,university_level`, dates as quarters ("Q1 2013").
// Spells become person-years of ISCO-08 unit groups (taxonomy "isco08").
import type { EducationLevel, Person } from "../../core/career.ts";
import { dataPath } from "../lib/paths.ts";
import { assemblePanel, personIdOrRefuse, settlePeople } from "./assemble.ts";
import { IngestLog } from "./log.ts";
import { inYearRange, occupationCodes, YEAR_RANGE } from "./schema.ts";
import { readTable } from "./table.ts";
import type { Panel } from "./types.ts";

export const JOBHOP_COLUMNS = ["resume_id", "matched_code", "start_date", "end_date", "university_level"] as const;
export const JOBHOP_SAMPLE = dataPath("panels", "jobhop_v2_test_head.csv");

/** university_level (compared case-insensitively) -> education; absent from the table: see UNRECOGNISED_LEVEL. */
export const UNIVERSITY_LEVELS: Record<string, EducationLevel | undefined> = {
  "": undefined,
  // JobHop does not say whether "None" means "no degree" or "not stated": it is read as unknown.
  none: undefined,
  "secondary school": "high school",
  bachelor: "bachelor's degree",
  master: "graduate degree",
  phd: "graduate degree",
  doctorate: "graduate degree",
};
/** A university_level outside the table: the spell is kept (its occupation is sound), education unknown. */
export const UNRECOGNISED_LEVEL = "university_level not recognised: education unknown";
export const END_DATE_MISSING = "end date missing: one quarter";

/** "Q3 2010" -> quarter index year*4 + (quarter-1); undefined when malformed. */
export function parseQuarter(text: string): number | undefined {
  const m = /^Q([1-4])\s+(\d{4})$/i.exec(text);
  return m ? Number(m[2]) * 4 + Number(m[1]) - 1 : undefined;
}

const yearOf = (quarter: number): number => Math.floor(quarter / 4);

/** ESCO occupation code ("2310.1.42") -> ISCO-08 unit group ("2310"): its first four digits. */
export function iscoGroup(escoCode: string): string | undefined {
  return /^\d{4}(\.\d+)*$/.test(escoCode) ? escoCode.slice(0, 4) : undefined;
}

export interface Spell {
  line: number;
  personId: string;
  occupation: string;
  start: number;
  end: number;
}

/**
 * One occupation per calendar year a person has any spell: the unit group with the most quarters in that
 * year (a quarter covered by two spells of one group counts once); ties go to the group whose spell in that
 * year started latest, then to the spell listed later in the file.
 */
export function yearsFromSpells(spells: readonly Spell[]): { personId: string; year: number; occupation: string }[] {
  // person -> year -> group -> { quarters covered, latest (start, line) of its spells in that year }
  const tally = new Map<string, Map<number, Map<string, { quarters: Set<number>; start: number; line: number }>>>();
  for (const s of spells) {
    let years = tally.get(s.personId);
    if (!years) tally.set(s.personId, (years = new Map()));
    for (let q = s.start; q <= s.end; q++) {
      let groups = years.get(yearOf(q));
      if (!groups) years.set(yearOf(q), (groups = new Map()));
      let g = groups.get(s.occupation);
      if (!g) groups.set(s.occupation, (g = { quarters: new Set(), start: -Infinity, line: 0 }));
      g.quarters.add(q);
      if (s.start > g.start || (s.start === g.start && s.line > g.line)) {
        g.start = s.start;
        g.line = s.line;
      }
    }
  }
  const out: { personId: string; year: number; occupation: string }[] = [];
  for (const [personId, years] of tally) {
    for (const [year, groups] of years) {
      let best: { occupation: string; n: number; start: number; line: number } | undefined;
      for (const [occupation, g] of groups) {
        const c = { occupation, n: g.quarters.size, start: g.start, line: g.line };
        if (!best || c.n > best.n || (c.n === best.n && (c.start > best.start || (c.start === best.start && c.line > best.line)))) {
          best = c;
        }
      }
      out.push({ personId, year, occupation: best!.occupation });
    }
  }
  return out;
}

export function readJobHop(file: string = JOBHOP_SAMPLE): Panel {
  const table = readTable(file, JOBHOP_COLUMNS);
  const log = new IngestLog(file);
  const codes = occupationCodes("isco08");
  const spells: Spell[] = [];
  const personRows: { line: number; personId: string; person: Person; when: number }[] = [];

  for (const r of table.rows) {
    const f = (c: (typeof JOBHOP_COLUMNS)[number]): string => r.fields[c] ?? "";
    const personId = personIdOrRefuse(r, table, "resume_id", log);
    if (personId === undefined) continue;

    const code = f("matched_code");
    if (!code) {
      log.refuse(r.line, "matched_code", "occupation missing", "matched_code is empty");
      continue;
    }
    if (code.toLowerCase() === "unknown") {
      log.refuse(r.line, "matched_code", "occupation unknown", "matched_code is \"unknown\"");
      continue;
    }
    const group = iscoGroup(code);
    if (group === undefined) {
      log.refuse(r.line, "matched_code", "occupation code invalid", `matched_code ${JSON.stringify(code)} is not an ESCO code`);
      continue;
    }
    if (!codes.has(group)) {
      log.refuse(r.line, "matched_code", "occupation not in taxonomy", `ISCO-08 group ${group} (of ${code}) is not an isco08 unit group`);
      continue;
    }

    const dates: Record<"start_date" | "end_date", number | undefined> = { start_date: undefined, end_date: undefined };
    let refused = false;
    for (const column of ["start_date", "end_date"] as const) {
      const text = f(column);
      if (!text) continue;
      const q = parseQuarter(text);
      if (q === undefined || !inYearRange(yearOf(q))) {
        const what = column === "start_date" ? "start date" : "end date";
        log.refuse(r.line, column, `${what} invalid`,
          `${column} ${JSON.stringify(text)} is not a quarter "Q1".."Q4" of a year ${YEAR_RANGE.min}-${YEAR_RANGE.max}`);
        refused = true;
        break;
      }
      dates[column] = q;
    }
    if (refused) continue;
    const start = dates.start_date;
    if (start === undefined) {
      log.refuse(r.line, "start_date", "start date missing", "start_date is empty");
      continue;
    }
    const end = dates.end_date ?? start;
    if (end < start) {
      log.refuse(r.line, "end_date", "end before start", `end_date ${f("end_date")} is before start_date ${f("start_date")}`);
      continue;
    }

    // Checks done: the row is kept. Fixes are counted only now, so a refused row is never also "fixed".
    if (dates.end_date === undefined) {
      log.fix(r.line, "end_date", END_DATE_MISSING, `end_date is empty: the spell covers ${f("start_date")} only`);
    }
    const level = f("university_level");
    const person: Person = {};
    if (level.toLowerCase() in UNIVERSITY_LEVELS) {
      const education = UNIVERSITY_LEVELS[level.toLowerCase()];
      if (education) person.education = education;
    } else {
      log.fix(r.line, "university_level", UNRECOGNISED_LEVEL, `university_level ${JSON.stringify(level)} is not recognised`);
    }
    spells.push({ line: r.line, personId, occupation: group, start, end });
    personRows.push({ line: r.line, personId, person, when: start });
  }

  const people = settlePeople(personRows, log, { education: "university_level" });
  return assemblePanel({
    source: "jobhop",
    taxonomy: "isco08",
    log,
    rows: table.rows.length,
    rowUnit: "spell",
    people,
    years: yearsFromSpells(spells),
  });
}
