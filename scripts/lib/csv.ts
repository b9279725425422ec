// CSV reading for the offline pipeline: records keyed by header, with their 1-based file line.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

export interface CsvRecord {
  line: number;
  fields: Record<string, string>;
}

export function readCsv(file: string): CsvRecord[] {
  const rows: { record: Record<string, string>; info: { lines: number } }[] = parse(readFileSync(file), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    info: true,
  });
  return rows.map((r) => ({ line: r.info.lines, fields: r.record }));
}
