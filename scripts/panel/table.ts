// The raw rows of an input file, for the panel readers: the header, then every record with the 1-based line
// it starts on. Unlike scripts/lib/csv.ts it never throws for a record with the wrong number of fields, so
// that a reader can refuse that one row (and say where it is) instead of giving up on the file.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

export interface TableRow {
  /** 1-based line the record starts on (the header is line 1). */
  line: number;
  /** Field values, surrounding whitespace trimmed; undefined where the record has too few fields. */
  fields: Record<string, string | undefined>;
  /** Number of fields in the record (header.length when well formed). */
  width: number;
}

export interface Table {
  file: string;
  header: string[];
  rows: TableRow[];
}

interface Parsed {
  record: string[];
  /** `bytes`: bytes consumed once the record (and its line end) was read. */
  info: { bytes: number };
}

/**
 * The 1-based line each record starts on. csv-parse's own line count is the line a record ends on, and it
 * miscounts CRLF line ends inside quoted fields; byte offsets are exact: a record starts where the previous
 * one ended, after any empty lines. A newline byte never occurs inside a multi-byte UTF-8 character.
 */
function startLines(bytes: Uint8Array, parsed: readonly Parsed[]): number[] {
  const LF = 0x0a;
  const CR = 0x0d;
  let pos = 0;
  let line = 1;
  return parsed.map((p) => {
    while (pos < bytes.length && (bytes[pos] === LF || bytes[pos] === CR)) if (bytes[pos++] === LF) line++;
    const start = line;
    for (; pos < p.info.bytes; pos++) if (bytes[pos] === LF) line++;
    return start;
  });
}

/**
 * Reads a CSV file with a header row. Throws (naming the file) when the file cannot be parsed as CSV at all,
 * has no header, repeats a column name, or lacks one of `required` columns; `allowed`, when given, is the
 * complete list of columns the format knows, and any other column is an error rather than silently ignored.
 */
export function readTable(file: string, required: readonly string[], allowed?: readonly string[]): Table {
  const bytes = readFileSync(file);
  let parsed: Parsed[];
  try {
    parsed = parse(bytes, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Parsed[];
  } catch (err) {
    throw new Error(`${file}: not readable as CSV: ${(err as Error).message}`);
  }
  const lines = startLines(bytes, parsed);
  const [head, ...body] = parsed;
  if (!head) throw new Error(`${file}: empty file (a header row is required)`);
  const header = head.record.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new Error(`${file}: column ${JSON.stringify(name)} appears twice in the header`);
    seen.add(name);
  }
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length) throw new Error(`${file}: header lacks required column(s) ${missing.join(", ")}`);
  if (allowed) {
    const unknown = header.filter((h) => !allowed.includes(h));
    if (unknown.length) {
      throw new Error(`${file}: unknown column(s) ${unknown.join(", ")} (the format has ${allowed.join(", ")})`);
    }
  }
  const rows = body.map((p, i) => {
    const fields: Record<string, string | undefined> = {};
    header.forEach((name, j) => (fields[name] = p.record[j]?.trim()));
    return { line: lines[i + 1]!, fields, width: p.record.length };
  });
  return { file, header, rows };
}
