// The steps every panel reader shares once its rows are validated: settle each person's covariates,
// refuse repeated person-years, and put the careers together in the Panel shape.
import type { Career, CareerYear, EducationLevel, Person } from "../../core/career.ts";
import { LabelSet, type CodeList, type TaxonomyId } from "../../core/taxonomy.ts";
import type { IngestLog } from "./log.ts";
import { COVARIATE_COLUMNS, conflictFix, type PersonField } from "./schema.ts";
import type { Table, TableRow } from "./table.ts";
import type { Panel } from "./types.ts";

/** What one kept input row says about its person. */
export interface PersonRow {
  line: number;
  personId: string;
  person: Person;
  /** When the row happened (year, or quarter index for spells): ties between equally frequent values go
   * to the value of the latest row. */
  when: number;
}

/** Column of the input file that carries each covariate, for the issues (defaults to the field name). */
export type ColumnNames = Partial<Record<PersonField, string>>;

/**
 * One Person per person id: each covariate takes its most frequent known value across the person's rows
 * (ties: the value of the latest row, then the later line). Every row whose known value differs from that
 * is counted as a fix of kind `conflictFix(field)`. Unknown (absent) values never conflict.
 */
export function settlePeople(rows: readonly PersonRow[], log: IngestLog, columns: ColumnNames = {}): Map<string, Person> {
  const byPerson = new Map<string, PersonRow[]>();
  for (const r of rows) {
    const list = byPerson.get(r.personId);
    if (list) list.push(r);
    else byPerson.set(r.personId, [r]);
  }
  const people = new Map<string, Person>();
  for (const [id, list] of byPerson) {
    const person: Person = {};
    for (const field of COVARIATE_COLUMNS) {
      const tally = new Map<string | number, { count: number; when: number; line: number }>();
      for (const r of list) {
        const value = r.person[field];
        if (value === undefined) continue;
        const t = tally.get(value) ?? { count: 0, when: -Infinity, line: 0 };
        t.count++;
        if (r.when > t.when || (r.when === t.when && r.line > t.line)) {
          t.when = r.when;
          t.line = r.line;
        }
        tally.set(value, t);
      }
      let best: { value: string | number; count: number; when: number; line: number } | undefined;
      for (const [value, t] of tally) {
        if (!best || t.count > best.count || (t.count === best.count && (t.when > best.when || (t.when === best.when && t.line > best.line)))) {
          best = { value, ...t };
        }
      }
      if (!best) continue;
      (person as Record<string, string | number>)[field] = best.value;
      if (tally.size === 1) continue;
      for (const r of list) {
        const value = r.person[field];
        if (value !== undefined && value !== best.value) {
          log.fix(r.line, columns[field] ?? field, conflictFix(field), `${field} ${JSON.stringify(value)} differs from the person's most frequent ${JSON.stringify(best.value)}, which is kept`);
        }
      }
    }
    people.set(id, person);
  }
  return people;
}

export interface PersonYearRow {
  line: number;
  personId: string;
  year: number;
  occupation: string;
}

/**
 * Keeps the first row of each person-year (file order); a later row for the same person-year is refused as
 * "duplicate person-year" when it repeats the occupation, "conflicting person-year" when it does not.
 */
export function dropRepeatedPersonYears<T extends PersonYearRow>(
  rows: readonly T[],
  log: IngestLog,
  fields: { personId: string; year: string },
): T[] {
  const first = new Map<string, T>();
  const kept: T[] = [];
  for (const r of rows) {
    const key = `${r.personId}\u0000${r.year}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, r);
      kept.push(r);
    } else if (earlier.occupation === r.occupation) {
      log.refuse(r.line, fields.year, "duplicate person-year", `person ${r.personId} year ${r.year} already given on line ${earlier.line}`);
    } else {
      log.refuse(
        r.line,
        fields.year,
        "conflicting person-year",
        `person ${r.personId} year ${r.year}: occupation ${r.occupation} conflicts with ${earlier.occupation} on line ${earlier.line}, which is kept`,
      );
    }
  }
  return kept;
}

/**
 * The Panel: one career per person with at least one person-year (people in order of first appearance),
 * years ascending; `years` must hold at most one row per person-year.
 */
export function assemblePanel(args: {
  source: string;
  /** A built-in taxonomy, or a user's own code list (--labels). */
  taxonomy: TaxonomyId | CodeList;
  log: IngestLog;
  rows: number;
  rowUnit: "person-year" | "spell";
  people: ReadonlyMap<string, Person>;
  /** Education here is as of that year (panels that record it by year); otherwise it is the person's. */
  years: readonly { personId: string; year: number; occupation: string; education?: EducationLevel }[];
}): Panel {
  const histories = new Map<string, CareerYear[]>();
  for (const y of args.years) {
    const h = histories.get(y.personId);
    const entry: CareerYear = { year: y.year, occupation: y.occupation, ...(y.education ? { education: y.education } : {}) };
    if (h) h.push(entry);
    else histories.set(y.personId, [entry]);
  }
  const careers: Career[] = [];
  const seenStates = new Set<string>();
  let personYears = 0;
  for (const [id, history] of histories) {
    history.sort((a, b) => a.year - b.year);
    for (let i = 1; i < history.length; i++) {
      if (history[i]!.year === history[i - 1]!.year) throw new Error(`person ${id} has year ${history[i]!.year} twice`);
    }
    for (const h of history) seenStates.add(h.occupation);
    personYears += history.length;
    careers.push({ id, person: args.people.get(id) ?? {}, history });
  }
  return {
    source: args.source,
    ...(typeof args.taxonomy === "string" ? { taxonomy: args.taxonomy } : { taxonomy: args.taxonomy.id, codeList: args.taxonomy }),
    specialStates: LabelSet.complete(args.taxonomy).specialStates().filter((c) => seenStates.has(c)),
    careers,
    report: args.log.report({ rows: args.rows, people: careers.length, personYears, rowUnit: args.rowUnit }),
  };
}

/**
 * The person id of a raw row of an adapter's file, or undefined after refusing the row: a row with the wrong
 * number of fields, or with an empty id column.
 */
export function personIdOrRefuse(r: TableRow, table: Table, idColumn: string, log: IngestLog): string | undefined {
  if (r.width !== table.header.length) {
    log.refuse(r.line, "(row)", "wrong number of fields", `${r.width} fields, the header has ${table.header.length}`);
    return undefined;
  }
  const id = r.fields[idColumn] ?? "";
  if (!id) log.refuse(r.line, idColumn, `${idColumn} missing`, `${idColumn} is empty`);
  return id || undefined;
}
