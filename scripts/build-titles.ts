// npm run build:titles
// Builds the title autocoder's artifacts from the reference data (../shared/data):
//   model/titles/titles.bin           the title index the Worker loads (format: core/titles/format.ts)
//   core/titles/crosswalk-tables.json the crosswalks core/titles/convert.ts reads
// Deterministic: the same data and code give the same bytes (test/unit/titles.test.ts rebuilds and compares).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Crosswalks, type CrosswalkTables, type Weighted } from "../core/titles/convert.ts";
import {
  encodeTitleIndex,
  PROJECTION_TARGETS,
  TITLE_INDEX_FORMAT,
  TITLE_INDEX_VERSION,
  type ProjectionTarget,
  type TitleIndexFile,
} from "../core/titles/format.ts";
import { normaliseTitle } from "../core/titles/normalize.ts";
import { getTaxonomy } from "../core/taxonomy.ts";
import { repoPath } from "./lib/paths.ts";
import {
  ATTRIBUTION,
  readCrosswalkTables,
  readLabelledTitles,
  sourceFingerprint,
  SOURCE_WEIGHT,
  type LabelledTitle,
} from "./titles/sources.ts";

export const TITLE_INDEX_FILE = repoPath("model", "titles", "titles.bin");
export const CROSSWALK_TABLES_FILE = repoPath("core", "titles", "crosswalk-tables.json");

export interface TitleArtifacts {
  tables: CrosswalkTables;
  index: TitleIndexFile;
}

type Dist = Map<string, { w: number }>;

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function projection(dist: Dist, valid: ReadonlySet<string>): [string, number][] {
  return [...dist]
    .filter(([c]) => valid.has(c))
    .map(([c, { w }]) => [c, round4(w)] as [string, number])
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The artifacts from a set of labelled titles (all of them for the shipped index; the training titles for the evaluation). */
export function buildTitleArtifacts(titles: readonly LabelledTitle[], fingerprint: string): TitleArtifacts {
  const tables = readCrosswalkTables(titles, fingerprint);
  const crosswalks = new Crosswalks(tables);

  // One document per distinct normalised title, holding the weight of each label it was seen with.
  const docs = new Map<string, { terms: string[]; labels: Map<string, number> }>();
  const bySource: Record<string, number> = {};
  for (const t of titles) {
    const terms = normaliseTitle(t.text);
    if (terms.length === 0) continue;
    bySource[t.source] = (bySource[t.source] ?? 0) + 1;
    const key = terms.join(" ");
    const doc = docs.get(key) ?? { terms, labels: new Map() };
    const label = `${t.kind}:${t.code}`;
    doc.labels.set(label, (doc.labels.get(label) ?? 0) + SOURCE_WEIGHT[t.source]);
    docs.set(key, doc);
  }
  const keys = [...docs.keys()].sort();
  const terms = [...new Set(keys.flatMap((k) => docs.get(k)!.terms))].sort();
  const labels = [...new Set(keys.flatMap((k) => [...docs.get(k)!.labels.keys()]))].sort();
  if (terms.length > 0xffff || labels.length > 0xffff) throw new Error("title index: more than 65535 terms or labels");
  const termId = new Map(terms.map((t, i) => [t, i]));
  const labelId = new Map(labels.map((l, i) => [l, i]));

  const termCounts: number[] = [], docTerms: number[] = [], labelCounts: number[] = [], docLabels: number[] = [], weights: number[] = [];
  for (const key of keys) {
    const doc = docs.get(key)!;
    if (doc.terms.length > 255 || doc.labels.size > 255) throw new Error(`title index: document too large: ${key}`);
    termCounts.push(doc.terms.length);
    for (const t of doc.terms) docTerms.push(termId.get(t)!);
    const ls = [...doc.labels].sort((a, b) => labelId.get(a[0])! - labelId.get(b[0])!);
    labelCounts.push(ls.length);
    for (const [l, w] of ls) {
      docLabels.push(labelId.get(l)!);
      weights.push(Math.min(255, Math.round(w * 2)));
    }
  }

  const valid: Record<ProjectionTarget, ReadonlySet<string>> = {
    "onet-soc": new Set(Object.keys(tables.onet_titles)),
    occ1990dd: new Set(getTaxonomy("occ1990dd").labels.map((l) => l.code)),
    isco08: new Set(getTaxonomy("isco08").labels.map((l) => l.code)),
  };
  const projections = Object.fromEntries(PROJECTION_TARGETS.map((t) => [t, [] as [string, number][][]])) as TitleIndexFile["projections"];
  const onetMethods: Record<string, number> = {};
  for (const label of labels) {
    const [kind, code] = label.split(":") as ["onet" | "isco" | "occ", string];
    const self: Dist = new Map([[code, { w: 1 }]]);
    let toOcc: Dist, toIsco: Dist;
    if (kind === "onet") {
      const occ: Weighted = crosswalks.occFromOnet(code);
      toOcc = occ;
      toIsco = crosswalks.toTaxonomy("onet-soc", code, "isco08");
      const via = [...occ.values()][0]?.via ?? "none";
      onetMethods[via] = (onetMethods[via] ?? 0) + 1;
    } else if (kind === "isco") {
      toOcc = crosswalks.toTaxonomy("isco08", code, "occ1990dd");
      toIsco = self;
    } else {
      toOcc = self;
      toIsco = crosswalks.toTaxonomy("occ1990dd", code, "isco08");
    }
    projections["onet-soc"].push(kind === "onet" ? projection(self, valid["onet-soc"]) : []);
    projections.occ1990dd.push(projection(toOcc, valid.occ1990dd));
    projections.isco08.push(projection(toIsco, valid.isco08));
  }
  const iscoLabels = labels.filter((l) => l.startsWith("isco:"));
  const stats: Record<string, number> = {
    labelled_titles: titles.length,
    ...Object.fromEntries(Object.entries(bySource).sort().map(([s, n]) => [`titles_${s}`, n])),
    documents: keys.length,
    terms: terms.length,
    labels: labels.length,
    ...Object.fromEntries(Object.entries(onetMethods).sort().map(([m, n]) => [`onet_codes_to_occ1990dd_via_${m.replace(/\W+/g, "_")}`, n])),
    isco_groups: iscoLabels.length,
    isco_groups_reaching_occ1990dd: iscoLabels.filter((l) => projections.occ1990dd[labelId.get(l)!]!.length > 0).length,
    bridge_pairs: tables.soc2018_isco08.length,
  };

  const index: TitleIndexFile = {
    format: TITLE_INDEX_FORMAT,
    version: TITLE_INDEX_VERSION,
    fingerprint,
    attribution: ATTRIBUTION,
    stats,
    terms: terms.join("\n"),
    labels,
    projections,
    doc_term_counts: Uint8Array.from(termCounts),
    doc_terms: Uint16Array.from(docTerms),
    doc_label_counts: Uint8Array.from(labelCounts),
    doc_labels: Uint16Array.from(docLabels),
    doc_label_weights: Uint8Array.from(weights),
  };
  return { tables, index };
}

export const serialiseTables = (tables: CrosswalkTables): string => JSON.stringify(tables) + "\n";

/** The shipped artifacts, rebuilt from the reference data. */
export function buildShippedTitleArtifacts(): TitleArtifacts {
  return buildTitleArtifacts(readLabelledTitles(), sourceFingerprint());
}

function sizes(content: string | Uint8Array): string {
  const raw = Buffer.byteLength(content);
  const gz = gzipSync(content, { level: 9 }).length;
  return `${(raw / 1e6).toFixed(2)} MB raw, ${(gz / 1e6).toFixed(2)} MB gzip`;
}

if (import.meta.main) {
  const started = performance.now();
  const { tables, index } = buildShippedTitleArtifacts();
  const indexBytes = encodeTitleIndex(index);
  const tablesText = serialiseTables(tables);
  mkdirSync(path.dirname(TITLE_INDEX_FILE), { recursive: true });
  writeFileSync(TITLE_INDEX_FILE, indexBytes);
  writeFileSync(CROSSWALK_TABLES_FILE, tablesText);
  console.log(`${path.relative(repoPath(), TITLE_INDEX_FILE)}: ${sizes(indexBytes)}`);
  console.log(`${path.relative(repoPath(), CROSSWALK_TABLES_FILE)}: ${sizes(tablesText)}`);
  console.log(JSON.stringify(index.stats, null, 1));
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s; fingerprint ${index.fingerprint.slice(0, 12)}`);
}
