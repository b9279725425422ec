// The account of an ingest: every refused row and every fix, counted by kind, the first few of each kind
// kept in detail. Turns into the IngestReport of a Panel.
import type { IngestReport, RowIssue } from "./types.ts";

/** Issues kept in detail per kind (the counts are always complete). */
export const ISSUES_PER_KIND = 20;

export class IngestLog {
  readonly file: string;
  private readonly refusedCounts = new Map<string, number>();
  private readonly fixedCounts = new Map<string, number>();
  // What one input unit is: a line, or for a wide file (one line per person, one column per year) a cell,
  // keyed "line:column" (see cell()).
  private readonly refusedUnits = new Set<string>();
  private readonly fixedUnits = new Set<string>();
  private readonly detail: RowIssue[] = [];
  private readonly detailPerKind = new Map<string, number>();

  constructor(file: string) {
    this.file = file;
  }

  /** Refuses the row on `line` (or one cell of it, `unit`); a unit is refused at most once (its first problem). */
  refuse(line: number, field: string, kind: string, message: string, unit: string = String(line)): void {
    if (this.refusedUnits.has(unit)) throw new Error(`${this.file}:${line} refused twice (${kind})`);
    this.refusedUnits.add(unit);
    this.refusedCounts.set(kind, (this.refusedCounts.get(kind) ?? 0) + 1);
    this.note({ file: this.file, line, field, message, kind, outcome: "refused" });
  }

  /** Counts a fix on a kept row (a row may carry several fixes of different kinds). */
  fix(line: number, field: string, kind: string, message: string, unit: string = String(line)): void {
    this.fixedUnits.add(unit);
    this.fixedCounts.set(kind, (this.fixedCounts.get(kind) ?? 0) + 1);
    this.note({ file: this.file, line, field, message, kind, outcome: "fixed" });
  }

  get refusedTotal(): number {
    return this.refusedUnits.size;
  }

  private note(issue: RowIssue): void {
    const key = `${issue.outcome}\u0000${issue.kind}`;
    const n = this.detailPerKind.get(key) ?? 0;
    if (n >= ISSUES_PER_KIND) return;
    this.detailPerKind.set(key, n + 1);
    this.detail.push(issue);
  }

  report(counts: { rows: number; people: number; personYears: number; rowUnit: "person-year" | "spell" }): IngestReport {
    for (const unit of this.fixedUnits) {
      if (this.refusedUnits.has(unit)) throw new Error(`${this.file}:${unit} was both fixed and refused`);
    }
    const issues = [...this.detail].sort((a, b) => a.line - b.line || a.field.localeCompare(b.field));
    return {
      file: this.file,
      rows: counts.rows,
      kept: counts.rows - this.refusedUnits.size,
      fixed: Object.fromEntries([...this.fixedCounts].sort(([a], [b]) => a.localeCompare(b))),
      refused: Object.fromEntries([...this.refusedCounts].sort(([a], [b]) => a.localeCompare(b))),
      issues,
      people: counts.people,
      personYears: counts.personYears,
      rowUnit: counts.rowUnit,
    };
  }
}

/** The unit key of one cell of a wide file (a person's line, a year's column). */
export const cell = (line: number, column: string): string => `${line}:${column}`;
