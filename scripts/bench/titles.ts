// Speed of the title autocoder in Node: loading the shipped index (the first load in a fresh process, as
// an isolate's first title request pays it, then warm reloads) and warm lookups: codeTitle on every O*NET
// reported title (incumbents' own words, the closest thing here to what users type) plus a few messy ones,
// and searchOccupations on their first letters.
//   node scripts/bench/titles.ts [--taxonomy occ1990dd] [--json]
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { codeTitle, searchOccupations, type TitleTaxonomy } from "../../core/titles/code-title.ts";
import { loadTitleIndex } from "../../core/titles/title-index.ts";
import { TITLE_INDEX_FILE } from "../build-titles.ts";
import { readLabelledTitles } from "../titles/sources.ts";

const { values: args } = parseArgs({ options: { taxonomy: { type: "string", default: "occ1990dd" }, json: { type: "boolean", default: false } } });
const taxonomy = args.taxonomy as TitleTaxonomy;

const bytes = readFileSync(TITLE_INDEX_FILE);
let t = performance.now();
const index = loadTitleIndex(bytes);
const firstLoadMs = performance.now() - t;
const reloads: number[] = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  loadTitleIndex(bytes);
  reloads.push(performance.now() - t);
}

const queries = [
  ...readLabelledTitles().filter((x) => x.source === "onet-reported").map((x) => x.text),
  "RN - ICU nights", "Sr. Software Eng.", "CDL-A truck driver (home weekly)", "part-time cashier", "Admin Asst II",
  "warehouse associate - 2nd shift", "LPN/LVN per diem", "asst mgr, retail", "Registerd nurse", "barista",
];

function timings(run: (q: string) => unknown, inputs: readonly string[]): number[] {
  for (const q of inputs.slice(0, 500)) run(q); // warm-up
  const ms: number[] = [];
  for (const q of inputs) {
    const s = performance.now();
    run(q);
    ms.push(performance.now() - s);
  }
  return ms.sort((a, b) => a - b);
}
const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const code = timings((q) => codeTitle(index, q, { taxonomy, limit: 5 }), queries);
const prefixes = queries.map((q) => q.slice(0, 4));
const search = timings((q) => searchOccupations(index, q, { taxonomy, limit: 10 }), prefixes);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const report = {
  index_file: { raw_bytes: statSync(TITLE_INDEX_FILE).size, gzip_bytes: gzipSync(bytes, { level: 9 }).length, documents: index.docCount, terms: index.terms.length },
  load_ms: { first: +firstLoadMs.toFixed(1), warm_median: +median(reloads).toFixed(1) },
  codeTitle: { taxonomy, queries: code.length, p50_ms: +pct(code, 0.5).toFixed(3), p90_ms: +pct(code, 0.9).toFixed(3), p99_ms: +pct(code, 0.99).toFixed(3) },
  searchOccupations: { queries: search.length, p50_ms: +pct(search, 0.5).toFixed(3), p90_ms: +pct(search, 0.9).toFixed(3), p99_ms: +pct(search, 0.99).toFixed(3) },
  node: process.version,
};

if (args.json) console.log(JSON.stringify(report, null, 2));
else {
  const f = report.index_file;
  console.log(`model/titles/titles.bin: ${(f.raw_bytes / 1e6).toFixed(2)} MB raw, ${(f.gzip_bytes / 1e6).toFixed(2)} MB gzip; ${f.documents} titles, ${f.terms} terms`);
  console.log(`load: first ${report.load_ms.first} ms, warm ${report.load_ms.warm_median} ms (median of 5)\n`);
  console.log("| call | queries | p50 ms | p90 ms | p99 ms |\n|---|---:|---:|---:|---:|");
  for (const [name, m] of [[`codeTitle (${taxonomy})`, report.codeTitle], ["searchOccupations (4-letter prefixes)", report.searchOccupations]] as const)
    console.log(`| ${name} | ${m.queries} | ${m.p50_ms} | ${m.p90_ms} | ${m.p99_ms} |`);
  console.log(`\n(${process.version})`);
}
