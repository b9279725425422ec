// The labelled titles and the crosswalk tables the title autocoder is built from, read from the
// reference data (../shared/data): O*NET 29.x (CC BY 4.0), ESCO v1.2, Dorn's and Webb's occ1990dd
// crosswalks, the BLS SOC 2010 -> 2018 table and the Census 2018 code list; and the Census 1980 ->
// occ1990dd table the repository builds itself (data/crosswalks/, `npm run build:census1980`).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CrosswalkTables } from "../../core/titles/convert.ts";
import { getTaxonomy } from "../../core/taxonomy.ts";
import { titleKey } from "../../core/titles/normalize.ts";
import { readCsv } from "../lib/csv.ts";
import { dataPath } from "../lib/paths.ts";
import { CENSUS1980_FILE } from "../build-census1980.ts";

export type LabelKind = "onet" | "isco" | "occ";

export type TitleSource =
  | "onet-title" // O*NET occupation title
  | "onet-alternate" // O*NET alternate titles (and their short forms)
  | "onet-reported" // O*NET sample of reported titles (job incumbents' own words)
  | "esco-preferred"
  | "esco-alternative"
  | "occ1990dd-title"
  | "isco08-title";

export interface LabelledTitle {
  text: string;
  kind: LabelKind;
  code: string;
  source: TitleSource;
}

export const SOURCE_FILES = [
  ["onet", "occupation_data.csv"],
  ["onet", "alternate_titles.csv"],
  ["onet", "sample_of_reported_titles.csv"],
  ["esco", "occupations_en.csv"],
  ["esco", "isco08_groups_en.csv"],
  ["taxonomy", "occ1990dd.csv"],
  ["crosswalks", "onetsoc2010_to_occ1990dd.csv"],
  ["crosswalks", "soc2010_to_soc2018.csv"],
  ["crosswalks", "census2010_to_occ1990dd.csv"],
  ["crosswalks", "census2018_titles_soc2018.csv"],
] as const;

/** sha256 over the reference files, so an artifact says which data made it. */
export function sourceFingerprint(): string {
  const h = createHash("sha256");
  for (const parts of SOURCE_FILES) {
    h.update(parts.join("/") + "\0");
    h.update(readFileSync(dataPath(...parts)));
  }
  return h.digest("hex");
}

export const ATTRIBUTION = [
  "O*NET 29.x Database, U.S. Department of Labor, Employment and Training Administration (CC BY 4.0): occupation titles, alternate titles, sample of reported titles",
  "ESCO v1.2, European Commission (open data): occupation preferred and alternative labels, ISCO-08 groups",
  "occ1990dd: David Dorn (Census 2010 -> occ1990dd crosswalk, group structure); Michael Webb (2020) replication data (O*NET-SOC 2010 -> occ1990dd, titles)",
  "U.S. Bureau of Labor Statistics: SOC 2010 -> SOC 2018 crosswalk",
  "U.S. Census Bureau: Census 2018 occupation codes with SOC 2018 codes",
];

/**
 * The Census 1980 table (CENSUS1980_FILE) lives in the repository, built from the source tables in
 * data/crosswalks/sources/, not in ../shared/data, so it is outside sourceFingerprint(): the byte-for-byte
 * rebuild tests of crosswalk-tables.json and of the table itself (test/unit/census1980.test.ts) keep it
 * current, and the title index, which does not use it, stays unchanged. Its attribution goes with the tables.
 */
export const CENSUS1980_ATTRIBUTION =
  "Census 1980 -> occ1990dd: IPUMS USA OCC1990 crosswalk (Steven Ruggles et al., IPUMS USA, University of Minnesota) with David Dorn's occ1990dd recode (Autor and Dorn 2013); data/crosswalks/README.md";

/** The occ1990dd titles as written in the source, with their run-together words separated for matching. */
const OCC_TITLE_FIXES: Record<string, string> = {
  Writersandauthors: "Writers and authors",
  Libraryassistants: "Library assistants",
  Childcareworkers: "Child care workers",
  "647=Jewelers and precious stone and metal workers": "Jewelers and precious stone and metal workers",
  "Surveryors, cartographers, mapping scientists/techs": "Surveyors, cartographers, mapping scientists/techs",
};

const iscoCode = (c: string) => c.padStart(4, "0");

export function readLabelledTitles(): LabelledTitle[] {
  const out: LabelledTitle[] = [];
  const push = (text: string | undefined, kind: LabelKind, code: string, source: TitleSource) => {
    if (text && text.trim()) out.push({ text: text.trim(), kind, code, source });
  };
  for (const { fields: f } of readCsv(dataPath("onet", "occupation_data.csv")))
    push(f.Title, "onet", f["O*NET-SOC Code"]!, "onet-title");
  for (const { fields: f } of readCsv(dataPath("onet", "alternate_titles.csv"))) {
    push(f["Alternate Title"], "onet", f["O*NET-SOC Code"]!, "onet-alternate");
    push(f["Short Title"], "onet", f["O*NET-SOC Code"]!, "onet-alternate");
  }
  for (const { fields: f } of readCsv(dataPath("onet", "sample_of_reported_titles.csv")))
    push(f["Reported Job Title"], "onet", f["O*NET-SOC Code"]!, "onet-reported");
  for (const { fields: f } of readCsv(dataPath("esco", "occupations_en.csv"))) {
    const isco = iscoCode(f.iscoGroup!);
    push(f.preferredLabel, "isco", isco, "esco-preferred");
    for (const alt of (f.altLabels ?? "").split("\n")) push(alt, "isco", isco, "esco-alternative");
  }
  for (const l of getTaxonomy("isco08").labels) push(l.title, "isco", l.code, "isco08-title");
  for (const l of getTaxonomy("occ1990dd").labels) push(OCC_TITLE_FIXES[l.title] ?? l.title, "occ", l.code, "occ1990dd-title");
  return out;
}

/**
 * How much one sighting of a title under a code counts, by source: the official occupation titles most;
 * incumbents' reported titles more than the alternate-title lists; ESCO alternative labels least.
 */
export const SOURCE_WEIGHT: Record<TitleSource, number> = {
  "onet-title": 4,
  "onet-alternate": 1,
  "onet-reported": 2,
  "esco-preferred": 1,
  "esco-alternative": 0.5,
  "occ1990dd-title": 4,
  "isco08-title": 2,
};

/**
 * The ISCO-08 <-> SOC 2018 bridge: an ESCO label and an O*NET title (occupation, alternate or reported)
 * that normalise to the same words are taken as the same job. Each such match adds the product of the two
 * sides' strongest source weights (an O*NET occupation title matching an ESCO preferred label counts 4, two
 * alternative titles 0.5), split over the codes each side has that title under in proportion to their weight.
 */
export function titleMatchBridge(titles: readonly LabelledTitle[]): [string, string, number][] {
  type Side = { codes: Map<string, number>; strongest: number };
  const onet = new Map<string, Side>();
  const esco = new Map<string, Side>();
  for (const t of titles) {
    const side = t.kind === "onet" ? onet : t.source === "esco-preferred" || t.source === "esco-alternative" ? esco : undefined;
    if (!side) continue;
    const key = titleKey(t.text);
    if (!key) continue;
    const code = t.kind === "onet" ? t.code.slice(0, 7) : t.code;
    const w = SOURCE_WEIGHT[t.source];
    const entry = side.get(key) ?? { codes: new Map(), strongest: 0 };
    entry.codes.set(code, (entry.codes.get(code) ?? 0) + w);
    entry.strongest = Math.max(entry.strongest, w);
    side.set(key, entry);
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const pairs = new Map<string, number>();
  for (const [key, e] of esco) {
    const o = onet.get(key);
    if (!o) continue;
    const strength = o.strongest * e.strongest;
    const eTotal = total(e.codes), oTotal = total(o.codes);
    for (const [soc, ow] of o.codes)
      for (const [isco, ew] of e.codes) {
        const k = `${soc} ${isco}`;
        pairs.set(k, (pairs.get(k) ?? 0) + (strength * ow * ew) / (oTotal * eTotal));
      }
  }
  return [...pairs]
    .map(([k, n]) => [...k.split(" "), Math.round(n * 1000) / 1000] as [string, string, number])
    .filter(([, , n]) => n > 0)
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

/** The crosswalk tables convert.ts reads, from the reference CSVs (bridge from the labelled titles). */
export function readCrosswalkTables(titles: readonly LabelledTitle[], fingerprint: string): CrosswalkTables {
  const onet_titles: Record<string, string> = {};
  for (const { fields: f } of readCsv(dataPath("onet", "occupation_data.csv"))) onet_titles[f["O*NET-SOC Code"]!] = f.Title!;
  const onetsoc2010_occ1990dd: Record<string, string> = {};
  for (const { fields: f } of readCsv(dataPath("crosswalks", "onetsoc2010_to_occ1990dd.csv")))
    onetsoc2010_occ1990dd[f.onetsoc2010!] = f.occ1990dd!;
  const soc2010_soc2018: Record<string, string[]> = {};
  const soc2018_titles: Record<string, string> = {};
  for (const { fields: f } of readCsv(dataPath("crosswalks", "soc2010_to_soc2018.csv"))) {
    (soc2010_soc2018[f.soc_2010_code!] ??= []).push(f.soc_2018_code!);
    soc2018_titles[f.soc_2018_code!] = f.soc_2018_title!;
  }
  const census2010_occ1990dd: Record<string, string> = {};
  for (const { fields: f } of readCsv(dataPath("crosswalks", "census2010_to_occ1990dd.csv")))
    census2010_occ1990dd[String(Number(f.census2010))] = f.occ1990dd!;
  const census1980_occ1990dd: Record<string, string> = {};
  for (const { fields: f } of readCsv(CENSUS1980_FILE)) census1980_occ1990dd[String(Number(f.census1980))] = f.occ1990dd!;
  const census2018_soc2018: Record<string, string> = {};
  const census2018_titles: Record<string, string> = {};
  for (const { fields: f } of readCsv(dataPath("crosswalks", "census2018_titles_soc2018.csv"))) {
    census2018_soc2018[f.census2018_code!.padStart(4, "0")] = f.soc2018_code!;
    census2018_titles[f.census2018_code!.padStart(4, "0")] = f.title!;
  }
  return {
    format: "labor-llm-edge/crosswalks",
    version: 2, // 2: soc2018_titles and census2018_titles added
    fingerprint,
    attribution: [...ATTRIBUTION, CENSUS1980_ATTRIBUTION],
    onet_titles,
    onetsoc2010_occ1990dd,
    soc2010_soc2018,
    census1980_occ1990dd,
    census2010_occ1990dd,
    census2018_soc2018,
    soc2018_isco08: titleMatchBridge(titles),
    // Only where the BLS title differs from the O*NET-SOC 2019 title of the code's ".00" occupation (5 of
    // 867, in capitalisation and spelling): the rest would repeat onet_titles (about 10 kB gzip).
    soc2018_titles: Object.fromEntries(Object.entries(soc2018_titles).filter(([soc, title]) => onet_titles[`${soc}.00`] !== title).sort(([a], [b]) => a.localeCompare(b))),
    census2018_titles,
  };
}
