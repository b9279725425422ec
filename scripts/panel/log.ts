// The account of an ingest: every refused row and every fix, counted by kind, the first few of each kind
// kept in detail. Turns into the IngestReport of a Panel.
import type { IngestReport, RowIssue } from "./types.ts";

/** Issues kept in detail per kind (the counts are always complete). */
export const ISSUES_PER_KIND = 20;

export class IngestLog {
  readonly file: string;
  private readonly refusedCounts = new Map<string, number>();
  private readonly fixedCounts = new Map<string, number>();
  private readonly refusedLines = new Set<number>();
  private readonly fixedLines = new Set<number>();
  private readonly detail: RowIssue[] = [];
  private readonly detailPerKind = new Map<string, number>();

  constructor(file: string) {
    this.file = file;
  }

  /** Refuses the row on `line`; a row is refused at most once (its first problem). */
  refuse(line: number, field: string, kind: string, message: string): void {
    if (this.refusedLines.has(line)) throw new Error(`${this.file}:${line} refused twice (${kind})`);
    this.refusedLines.add(line);
    this.refusedCounts.set(kind, (this.refusedCounts.get(kind) ?? 0) + 1);
    this.note({ file: this.file, line, field, message, kind, outcome: "refused" });
  }

  /** Counts a fix on a kept row (a row may carry several fixes of different kinds). */
  fix(line: number, field: string, kind: string, message: string): void {
    this.fixedLines.add(line);
    this.fixedCounts.set(kind, (this.fixedCounts.get(kind) ?? 0) + 1);
    this.note({ file: this.file, line, field, message, kind, outcome: "fixed" });
  }

  isRefused(line: number): boolean {
    return this.refusedLines.has(line);
  }

  get refusedTotal(): number {
    return this.refusedLines.size;
  }

  private note(issue: RowIssue): void {
    const key = `${issue.outcome}\u0000${issue.kind}`;
    const n = this.detailPerKind.get(key) ?? 0;
    if (n >= ISSUES_PER_KIND) return;
    this.detailPerKind.set(key, n + 1);
    this.detail.push(issue);
  }

  report(counts: { rows: number; people: number; personYears: number; rowUnit: "person-year" | "spell" }): IngestReport {
    for (const line of this.fixedLines) {
      if (this.refusedLines.has(line)) throw new Error(`${this.file}:${line} was both fixed and refused`);
    }
    const issues = [...this.detail].sort((a, b) => a.line - b.line || a.field.localeCompare(b.field));
    return {
      file: this.file,
      rows: counts.rows,
      kept: counts.rows - this.refusedLines.size,
      fixed: Object.fromEntries([...this.fixedCounts].sort(([a], [b]) => a.localeCompare(b))),
      refused: Object.fromEntries([...this.refusedCounts].sort(([a], [b]) => a.localeCompare(b))),
      issues,
      people: counts.people,
      personYears: counts.personYears,
      rowUnit: counts.rowUnit,
    };
  }
}
