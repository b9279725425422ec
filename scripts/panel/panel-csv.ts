// The project's own panel format (see schema.ts and docs/panel-format.md): read with every row accounted
// for, and written back in normal form.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Career } from "../../core/career.ts";
import { sha256Hex } from "../../core/digest.ts";
import type { CodeList, TaxonomyId } from "../../core/taxonomy.ts";
import { assemblePanel, dropRepeatedPersonYears, settlePeople } from "./assemble.ts";
import { IngestLog } from "./log.ts";
import { checkPanelRow, occupationCodes, PANEL_COLUMNS, REQUIRED_COLUMNS, type CovariateFix, type PanelRow } from "./schema.ts";
import { readTable } from "./table.ts";
import type { Panel } from "./types.ts";

export interface PanelCsvOptions {
  /** Dataset name for the resume header ("Resume from <source>"). */
  source: string;
  /** Taxonomy of the occupation codes, or a user's own code list (scripts/panel/labels-file.ts). */
  taxonomy: TaxonomyId | CodeList;
}

/**
 * Reads a panel CSV. Throws only when the file as a whole is unusable (not CSV, a required column missing,
 * an unknown column); every bad row is refused, counted by kind and described in the report.
 */
export function readPanelCsv(file: string, { source, taxonomy }: PanelCsvOptions): Panel {
  const table = readTable(file, REQUIRED_COLUMNS, PANEL_COLUMNS);
  const log = new IngestLog(file);
  const codes = occupationCodes(taxonomy);
  const valid: (PanelRow & { line: number; fixes: CovariateFix[] })[] = [];
  for (const r of table.rows) {
    if (r.width !== table.header.length) {
      const column = table.header[Math.min(r.width, table.header.length)] ?? "(row)";
      log.refuse(r.line, r.width < table.header.length ? column : "(row)", "wrong number of fields",
        `${r.width} fields, the header has ${table.header.length}`);
      continue;
    }
    const verdict = checkPanelRow(r.fields, codes, typeof taxonomy === "string" ? taxonomy : taxonomy.id);
    if (!verdict.ok) {
      log.refuse(r.line, verdict.field, verdict.kind, verdict.message);
      continue;
    }
    valid.push({ ...verdict.row, line: r.line, fixes: verdict.fixes });
  }
  const kept = dropRepeatedPersonYears(valid, log, { personId: "person_id", year: "year" });
  for (const r of kept) for (const f of r.fixes) log.fix(r.line, f.field, f.kind, f.message);
  // Education is as of each year (it changes over a career): it stays with its row, not settled per person.
  const people = settlePeople(
    kept.map(({ line, personId, person: { education: _, ...person }, year }) => ({ line, personId, person, when: year })),
    log,
  );
  const years = kept.map((r) => ({ ...r, education: r.person.education }));
  return assemblePanel({ source, taxonomy, log, rows: table.rows.length, rowUnit: "person-year", people, years });
}

function csvField(value: string | number | undefined): string {
  const text = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The panel in the panel CSV format: all columns, one row per person-year, the person's covariates repeated
 *  (education: the year's, where the panel records it by year). */
export function panelCsvText(panel: Pick<Panel, "careers">): string {
  const lines = [PANEL_COLUMNS.join(",")];
  for (const c of panel.careers) {
    const p = c.person;
    for (const h of c.history) {
      lines.push([c.id, h.year, h.occupation, p.birth_year, p.sex, p.race, h.education ?? p.education, p.region].map(csvField).join(","));
    }
  }
  return lines.join("\n") + "\n";
}

/** The panel's fingerprint: sha256 of its normal form, recorded in a model's manifest to tell which data it
 *  was trained on. */
export function panelFingerprint(panel: Pick<Panel, "careers">): Promise<string> {
  return sha256Hex(panelCsvText(panel));
}

export function writePanelCsv(panel: Pick<Panel, "careers">, file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, panelCsvText(panel));
}

/** The careers as the panel CSV holds them: a person's education moved onto each of their years (what
 *  readPanelCsv gives back for a panel written by writePanelCsv). */
export function educationByYear(careers: readonly Career[]): Career[] {
  return careers.map(({ person: { education, ...person }, ...career }) => ({
    ...career,
    person,
    history: career.history.map((h) => (h.education === undefined && education ? { ...h, education } : h)),
  }));
}

