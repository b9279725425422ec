// Dataset CLI: reads a panel in one of the supported formats, prints the ingest report (rows kept, fixed and
// refused, by kind, and the first issues as file:line field), and optionally writes the normalised panel CSV.
//
//   node_modules/.bin/node scripts/panel/ingest.ts --format nlswork|jobhop|panel [--file F] [--taxonomy T | --labels F]
//       [--source NAME] [--out panel.csv] [--issues N] [--json]
import path from "node:path";
import { parseArgs } from "node:util";
import { isTaxonomyId, TAXONOMY_IDS, type TaxonomyId } from "../../core/taxonomy.ts";
import { readJobHop } from "./jobhop.ts";
import { readNlswork } from "./nlswork.ts";
import { readNlsy79 } from "./nlsy79.ts";
import { readLabelsFile } from "./labels-file.ts";
import { readPanelCsv, writePanelCsv } from "./panel-csv.ts";
import { ISSUES_PER_KIND } from "./log.ts";
import type { Panel } from "./types.ts";

export const FORMATS = ["nlswork", "nlsy79", "jobhop", "panel"] as const;
export type Format = (typeof FORMATS)[number];
const FIXED_TAXONOMY: Record<Exclude<Format, "panel">, TaxonomyId> = { nlswork: "nlswork", nlsy79: "occ1990dd", jobhop: "isco08" };
const READERS: Record<Exclude<Format, "panel">, (file?: string) => Panel> = { nlswork: readNlswork, nlsy79: readNlsy79, jobhop: readJobHop };

const USAGE = `usage: node scripts/panel/ingest.ts --format ${FORMATS.join("|")} [--file F] [--taxonomy ${TAXONOMY_IDS.join("|")} | --labels F]
       [--source NAME] [--out panel.csv] [--issues N] [--json]
  --format    input format: nlswork (Stata nlswork.csv), nlsy79 (an NLS Investigator extract: the folder of
              occupation_cps1980.csv, highest_grade_completed.csv, demographics.csv), jobhop (JobHop spells),
              panel (docs/panel-format.md)
  --file      input file, or folder for nlsy79 (nlswork, nlsy79 and jobhop default to the reference data's copies)
  --taxonomy  taxonomy of the occupation codes (--format panel needs it or --labels; fixed for the others)
  --labels    your own code list instead of a taxonomy: CSV code,title[,special] (--format panel)
  --source    dataset name in the resume header (panel format; default: the file name without extension)
  --out       write the normalised panel CSV here
  --issues    how many issues to list (default 10)
  --json      print the report as JSON instead of text`;

export function ingest(format: Format, opts: { file?: string; taxonomy?: string; labels?: string; source?: string }): Panel {
  if (opts.labels !== undefined && (format !== "panel" || opts.taxonomy !== undefined))
    throw new UsageError("--labels goes with --format panel, instead of --taxonomy");
  if (format !== "panel") {
    const fixed = FIXED_TAXONOMY[format];
    if (opts.taxonomy !== undefined && opts.taxonomy !== fixed) {
      throw new UsageError(`--format ${format} is coded in taxonomy ${fixed}, not ${opts.taxonomy}`);
    }
    if (opts.source !== undefined) throw new UsageError(`--source applies to --format panel only`);
    return READERS[format](opts.file);
  }
  if (!opts.file) throw new UsageError("--format panel needs --file");
  const source = opts.source ?? path.basename(opts.file).replace(/\.[^.]*$/, "");
  if (opts.labels !== undefined) return readPanelCsv(opts.file, { source, taxonomy: readLabelsFile(opts.labels, source) });
  if (!opts.taxonomy) throw new UsageError("--format panel needs --taxonomy (or --labels for a code list of your own)");
  if (!isTaxonomyId(opts.taxonomy)) throw new UsageError(`unknown taxonomy ${opts.taxonomy} (have ${TAXONOMY_IDS.join(", ")})`);
  return readPanelCsv(opts.file, { source, taxonomy: opts.taxonomy });
}

export class UsageError extends Error {}

const percent = (part: number, whole: number): string => `${whole ? ((100 * part) / whole).toFixed(1) : "0.0"}%`;

/** The report as text: counts by kind, then the first `issueCount` issues. */
export function formatReport(panel: Panel, issueCount = 10): string {
  const r = panel.report;
  const unit = r.rowUnit ?? "row";
  const years = panel.careers.flatMap((c) => [c.history[0]!.year, c.history.at(-1)!.year]);
  const span = years.length ? `${Math.min(...years)}-${Math.max(...years)}` : "none";
  const fixedRows = Object.values(r.fixed).reduce((a, b) => a + b, 0);
  const head: [string, number][] = [
    [`rows (${unit}s)`, r.rows],
    ["kept", r.kept],
    ["refused", r.rows - r.kept],
  ];
  const kinds = [...Object.keys(r.refused), ...Object.keys(r.fixed)];
  const width = Math.max(...head.map(([k]) => k.length), ...kinds.map((k) => k.length + 2));
  const row = (label: string, n: number): string => `  ${label.padEnd(width)}  ${String(n).padStart(7)}`;
  const lines = [
    `${panel.source}: ${r.file} (taxonomy ${panel.taxonomy})`,
    ...head.slice(0, 3).map(([k, n]) => row(k, n)),
    ...Object.entries(r.refused).map(([kind, n]) => row(`  ${kind}`, n)),
    `  fixes among kept rows, by kind (a row may have several): ${fixedRows}`,
    ...Object.entries(r.fixed).map(([kind, n]) => row(`  ${kind}`, n)),
    `  people ${r.people}, person-years ${r.personYears}, years ${span}, special states ${panel.specialStates.join(", ") || "none"}`,
  ];
  const m = r.codeMapping;
  if (m) {
    const unplaced = m.unplacedCodes.length;
    lines.push(
      `  ${m.from} -> ${m.to}: ${m.placedPersonYears} of ${m.codedPersonYears} coded person-years placed (${percent(m.placedPersonYears, m.codedPersonYears)}), ` +
        `${m.distinctCodes - unplaced} of ${m.distinctCodes} codes`,
    );
    if (unplaced) lines.push(`    not placed by any source (refused): ${m.unplacedCodes.map((c) => `${c.code} (${c.personYears})`).join(", ")}`);
  }
  // Refusals first: they are what was lost.
  const ordered = [...r.issues.filter((i) => i.outcome !== "fixed"), ...r.issues.filter((i) => i.outcome === "fixed")];
  const shown = ordered.slice(0, issueCount);
  if (shown.length) {
    lines.push(`  first issues (${shown.length} shown; the report keeps up to ${ISSUES_PER_KIND} per kind):`);
    for (const i of shown) {
      lines.push(`    ${i.file}:${i.line} ${i.field}: ${i.outcome ?? "issue"}${i.kind ? ` (${i.kind})` : ""}: ${i.message}`);
    }
  }
  return lines.join("\n");
}

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        format: { type: "string" },
        file: { type: "string" },
        taxonomy: { type: "string" },
        labels: { type: "string" },
        source: { type: "string" },
        out: { type: "string" },
        issues: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const format = values.format;
  if (!format || !(FORMATS as readonly string[]).includes(format)) {
    console.error(`${format ? `unknown format ${format}` : "--format is required"}\n${USAGE}`);
    return 2;
  }
  const issueCount = values.issues === undefined ? 10 : Number(values.issues);
  if (!Number.isInteger(issueCount) || issueCount < 0) {
    console.error(`--issues must be a whole number\n${USAGE}`);
    return 2;
  }
  let panel: Panel;
  try {
    panel = ingest(format as Format, values);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    console.error(`ingest failed: ${(err as Error).message}`);
    return 1;
  }
  if (values.json) console.log(JSON.stringify(panel.report, null, 1));
  else console.log(formatReport(panel, issueCount));
  if (values.out) {
    writePanelCsv(panel, values.out);
    const msg = `wrote ${panel.report.personYears} person-years of ${panel.report.people} people to ${values.out}`;
    if (values.json) console.error(msg);
    else console.log(msg);
  }
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
