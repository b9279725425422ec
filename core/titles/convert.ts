// Occupation codes of other systems -> a model's taxonomy (occ1990dd, nlswork or isco08), through the
// published crosswalks that scripts/build-titles.ts copies into crosswalk-tables.json:
//   census1980 -> occ1990dd (IPUMS OCC1990 + Dorn's recode: data/crosswalks/census1980_to_occ1990dd.csv)
//   census2010 -> occ1990dd (Dorn)
//   O*NET-SOC 2010 -> occ1990dd (Webb); a SOC 2010 code reaches it through its O*NET-SOC children
//   SOC 2018 -> SOC 2010 (the BLS table, read backwards) -> ...
//   Census 2018 -> SOC 2018 (Census ACS; codes such as 13-20XX stand for every SOC code they match) -> ...
//   O*NET-SOC 2019 -> its own 8-character code in the 2010 table, else its 6-digit SOC code -> ...
//   ISCO-08 <-> SOC 2018: no published table is in the reference data, so an empirical bridge stands in
//   (ESCO labels identical to O*NET titles after normalisation); used only where it has evidence.
// A link that fans out splits its weight equally (the tables carry no employment counts), and a code's
// candidates are the target codes with the share of weight that reaches each: that share is the confidence.
// Platform-free: the tables are JSON imported with the module.
import { occ1990ddToNlswork } from "./crosswalks.ts";
import { getTaxonomy, type TaxonomyId } from "../taxonomy.ts";

export const CODE_SYSTEMS = ["occ1990dd", "nlswork", "isco08", "soc2018", "soc2010", "onet-soc", "census1980", "census2010", "census2018"] as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[number];

export function isCodeSystem(s: string): s is CodeSystem {
  return (CODE_SYSTEMS as readonly string[]).includes(s);
}

/** The file scripts/build-titles.ts writes (core/titles/crosswalk-tables.json). */
export interface CrosswalkTables {
  format: "labor-llm-edge/crosswalks";
  version: number;
  /** sha256 over the reference files it was built from. */
  fingerprint: string;
  attribution: string[];
  /** O*NET-SOC 2019 code -> O*NET title. */
  onet_titles: Record<string, string>;
  /** O*NET-SOC 2010 code -> occ1990dd. */
  onetsoc2010_occ1990dd: Record<string, string>;
  /** SOC 2010 detailed code -> SOC 2018 codes. */
  soc2010_soc2018: Record<string, string[]>;
  /**
   * Census 1980 code (no leading zeros) -> occ1990dd: the IPUMS OCC1990 code with Dorn's recode applied
   * (data/crosswalks/census1980_to_occ1990dd.csv); may be a code occ1990dd.csv lacks (225, 346, 475, 679,
   * 905 military, 999 unknown), which conversion reports as no-mapping.
   */
  census1980_occ1990dd: Record<string, string>;
  /** Census 2010 code (no leading zeros) -> occ1990dd (which may be a code occ1990dd.csv lacks: 225, 999...). */
  census2010_occ1990dd: Record<string, string>;
  /** Census 2018 code (4 digits) -> SOC 2018 code, possibly with X wildcards (13-20XX). */
  census2018_soc2018: Record<string, string>;
  /** The title-match bridge: [SOC 2018, ISCO-08 unit group, matched titles]. */
  soc2018_isco08: [string, string, number][];
  /**
   * SOC 2018 detailed code -> its BLS title, only where that differs from the O*NET-SOC 2019 title of the
   * code's ".00" occupation (Crosswalks.soc2018Title reads both): the titles of prediction equivalents.
   */
  soc2018_titles: Record<string, string>;
  /** Census 2018 code (4 digits) -> its title (Census Bureau), for the same. */
  census2018_titles: Record<string, string>;
}

export interface CodeCandidate {
  code: string;
  title: string;
  /** Share of the crosswalk weight that reaches this code, in [0, 1]. */
  confidence: number;
  /** The strongest path's last step: how the code was reached. */
  via: string;
}

export interface ConvertResult {
  taxonomy: TaxonomyId;
  /** "ok"; "unknown-code": not a code of that system; "no-mapping": a valid code the crosswalks cannot place. */
  status: "ok" | "unknown-code" | "no-mapping";
  /** The input code as read (normalised form). */
  code: string;
  system: CodeSystem;
  candidates: CodeCandidate[];
  detail?: string;
}

/** A bridge link needs at least this much matched-title weight behind its source code to be used. */
export const MIN_BRIDGE_EVIDENCE = 2;
/** Targets below this share are dropped from a bridge distribution (noise of title coincidences). */
export const MIN_BRIDGE_SHARE = 0.05;
/**
 * A conversion through the bridge is refused ("no-mapping") unless its best target gets at least this
 * share: a group whose titles scatter over many occupations has no defensible counterpart.
 */
export const MIN_BRIDGE_TOP = 0.4;

export type Weighted = Map<string, { w: number; via: string }>;

function add(into: Weighted, code: string, w: number, via: string): void {
  const cur = into.get(code);
  if (!cur) into.set(code, { w, via });
  else {
    if (w > cur.w) cur.via = via;
    cur.w += w;
  }
}

function addAll(into: Weighted, from: Weighted, scale: number): void {
  for (const [code, { w, via }] of from) add(into, code, w * scale, via);
}

function one(code: string, via: string): Weighted {
  return new Map([[code, { w: 1, via }]]);
}

/** Equal shares among the codes of a list (duplicates counted once per occurrence). */
function shares(codes: readonly string[], via: string): Weighted {
  const out: Weighted = new Map();
  for (const c of codes) add(out, c, 1 / codes.length, via);
  return out;
}

/** Crosswalk reader over a set of tables; convertCode() uses the shipped ones. */
export class Crosswalks {
  readonly tables: CrosswalkTables;
  private readonly onet2010BySoc = new Map<string, string[]>(); // "11-1011" -> occ1990dd of each child
  private readonly soc2018To2010 = new Map<string, string[]>();
  private readonly soc2018Codes: string[];
  private readonly iscoBySoc = new Map<string, Map<string, number>>();
  private readonly socByIsco = new Map<string, Map<string, number>>();
  private iscoByOccCache?: Map<string, Map<string, number>>;
  /** Each taxonomy's titles by code, built on its first conversion (not on every one). */
  private readonly titlesByTaxonomy = new Map<TaxonomyId, Map<string, string>>();

  constructor(tables: CrosswalkTables) {
    this.tables = tables;
    for (const [onet, occ] of Object.entries(tables.onetsoc2010_occ1990dd)) {
      const soc = onet.slice(0, 7);
      this.onet2010BySoc.set(soc, [...(this.onet2010BySoc.get(soc) ?? []), occ]);
    }
    for (const [s10, s18s] of Object.entries(tables.soc2010_soc2018))
      for (const s18 of s18s) this.soc2018To2010.set(s18, [...(this.soc2018To2010.get(s18) ?? []), s10]);
    this.soc2018Codes = [...this.soc2018To2010.keys()].sort();
    for (const [soc, isco, n] of tables.soc2018_isco08) {
      const a = this.iscoBySoc.get(soc) ?? new Map<string, number>();
      a.set(isco, (a.get(isco) ?? 0) + n);
      this.iscoBySoc.set(soc, a);
      const b = this.socByIsco.get(isco) ?? new Map<string, number>();
      b.set(soc, (b.get(soc) ?? 0) + n);
      this.socByIsco.set(isco, b);
    }
  }

  // ---- to occ1990dd ----

  /**
   * SOC 2010 detailed code -> occ1990dd: its O*NET-SOC children, else the codes of its SOC broad group
   * ("35-201" of 35-2019), else of its minor group ("35-2"): mostly the "All Other" residual codes.
   */
  occFromSoc2010(soc: string): Weighted {
    const children = this.onet2010BySoc.get(soc);
    if (children) return shares(children, "soc2010");
    for (const [len, via] of [[6, "soc broad group"], [4, "soc minor group"]] as const) {
      const kin = [...this.onet2010BySoc].filter(([s]) => s.startsWith(soc.slice(0, len))).flatMap(([, occs]) => occs);
      if (kin.length > 0) return shares(kin, via);
    }
    return new Map();
  }

  /** SOC 2018 code -> occ1990dd through the SOC 2010 codes it came from. */
  occFromSoc2018(soc: string): Weighted {
    const from2010 = this.soc2018To2010.get(soc) ?? [];
    // A code SOC 2010 already had is read directly, so that its own O*NET-SOC children count before kin.
    if (this.onet2010BySoc.has(soc) || from2010.length === 0) return this.occFromSoc2010(soc);
    const out: Weighted = new Map();
    for (const s10 of from2010) addAll(out, this.occFromSoc2010(s10), 1 / from2010.length);
    for (const v of out.values()) v.via = `soc2018->${v.via}`;
    return out;
  }

  /** O*NET-SOC code (2019 or 2010 edition) -> occ1990dd: the 8-character code, else its 6-digit SOC code. */
  occFromOnet(code: string): Weighted {
    const exact = this.tables.onetsoc2010_occ1990dd[code];
    if (exact !== undefined) return one(exact, "onet-soc 2010");
    return this.occFromSoc2018(code.slice(0, 7));
  }

  /** SOC 2018 code pattern of the Census 2018 table ("13-20XX") -> the SOC 2018 codes it stands for. */
  expandSoc2018(pattern: string): string[] {
    if (!pattern.includes("X")) return [pattern];
    const prefix = pattern.slice(0, pattern.indexOf("X"));
    return this.soc2018Codes.filter((c) => c.startsWith(prefix));
  }

  /** ISCO-08 unit group -> SOC 2018 shares through the title-match bridge (empty without evidence). */
  socFromIsco(isco: string): Map<string, number> {
    return bridgeShares(this.socByIsco.get(isco));
  }

  // ---- to ISCO-08 ----

  iscoFromSoc2018(soc: string): Weighted {
    const direct = bridgeShares(this.iscoBySoc.get(soc));
    if (direct.size > 0) return new Map([...direct].map(([isco, w]) => [isco, { w, via: "title-match bridge" }]));
    const out: Weighted = new Map();
    for (const [occ, { w }] of this.occFromSoc2018(soc)) addAll(out, this.iscoFromOcc(occ), w);
    return out;
  }

  /**
   * occ1990dd -> ISCO-08: the mean of the bridge distributions of the SOC 2018 codes that reach the
   * occ1990dd code (each weighted by its share of that code), so a code with many synonyms does not outvote.
   */
  iscoFromOcc(occ: string): Weighted {
    if (!this.iscoByOccCache) {
      this.iscoByOccCache = new Map();
      const mass = new Map<string, number>();
      for (const soc of this.iscoBySoc.keys()) {
        const iscos = bridgeShares(this.iscoBySoc.get(soc));
        if (iscos.size === 0) continue;
        for (const [o, { w }] of this.occFromSoc2018(soc)) {
          const m = this.iscoByOccCache.get(o) ?? new Map<string, number>();
          for (const [isco, share] of iscos) m.set(isco, (m.get(isco) ?? 0) + share * w);
          this.iscoByOccCache.set(o, m);
          mass.set(o, (mass.get(o) ?? 0) + w);
        }
      }
      for (const [o, m] of this.iscoByOccCache) for (const [isco, v] of m) m.set(isco, v / mass.get(o)!);
    }
    const shares = this.iscoByOccCache.get(occ) ?? new Map<string, number>();
    return new Map([...shares].filter(([, s]) => s >= MIN_BRIDGE_SHARE).map(([isco, w]) => [isco, { w, via: "occ1990dd title-match bridge" }]));
  }

  /** Every SOC 2018 detailed code of the BLS table, sorted. */
  soc2018List(): readonly string[] {
    return this.soc2018Codes;
  }

  /** A SOC 2018 detailed code's BLS title (stored only where it differs from O*NET's ".00" title), or undefined. */
  soc2018Title(soc: string): string | undefined {
    if (!this.soc2018To2010.has(soc)) return undefined;
    return this.tables.soc2018_titles[soc] ?? this.tables.onet_titles[`${soc}.00`];
  }

  soc2018FromOnet(code: string): string[] {
    const soc = code.slice(0, 7);
    if (this.soc2018To2010.has(soc)) return [soc];
    return this.tables.soc2010_soc2018[soc] ?? [];
  }

  // ---- validity ----

  isKnown(system: CodeSystem, code: string): boolean {
    const t = this.tables;
    switch (system) {
      case "occ1990dd":
      case "nlswork":
      case "isco08":
        return getTaxonomy(system).labels.some((l) => l.code === code);
      case "soc2018":
        return this.soc2018To2010.has(code);
      case "soc2010":
        return code in t.soc2010_soc2018 || this.onet2010BySoc.has(code);
      case "onet-soc":
        return code in t.onet_titles || code in t.onetsoc2010_occ1990dd;
      case "census1980":
        return Object.hasOwn(t.census1980_occ1990dd, code);
      case "census2010":
        return code in t.census2010_occ1990dd;
      case "census2018":
        return code in t.census2018_soc2018;
    }
  }

  /** The input as a distribution over occ1990dd codes (empty: no path). */
  toOcc1990dd(system: CodeSystem, code: string): Weighted {
    switch (system) {
      case "occ1990dd":
        return one(code, "identity");
      case "nlswork":
        return new Map(); // 13 groups cannot be split into occupations
      case "census1980":
        return one(this.tables.census1980_occ1990dd[code]!, "census1980");
      case "census2010":
        return one(this.tables.census2010_occ1990dd[code]!, "census2010");
      case "soc2010":
        return this.occFromSoc2010(code);
      case "soc2018":
        return this.occFromSoc2018(code);
      case "onet-soc":
        return this.occFromOnet(code);
      case "census2018": {
        const socs = this.expandSoc2018(this.tables.census2018_soc2018[code]!);
        const out: Weighted = new Map();
        for (const s of socs) addAll(out, this.occFromSoc2018(s), 1 / socs.length);
        return out;
      }
      case "isco08": {
        const out: Weighted = new Map();
        for (const [soc, w] of this.socFromIsco(code)) addAll(out, this.occFromSoc2018(soc), w);
        for (const v of out.values()) v.via = "title-match bridge";
        return out;
      }
    }
  }

  toIsco08(system: CodeSystem, code: string): Weighted {
    const fromSocs = (socs: readonly string[]) => {
      const out: Weighted = new Map();
      for (const s of socs) addAll(out, this.iscoFromSoc2018(s), 1 / socs.length);
      return out;
    };
    switch (system) {
      case "isco08":
        return one(code, "identity");
      case "nlswork":
        return new Map();
      case "occ1990dd":
        return this.iscoFromOcc(code);
      case "census1980":
        return this.iscoFromOcc(this.tables.census1980_occ1990dd[code]!);
      case "census2010":
        return this.iscoFromOcc(this.tables.census2010_occ1990dd[code]!);
      case "soc2018":
        return fromSocs([code]);
      case "soc2010":
        return fromSocs(this.tables.soc2010_soc2018[code] ?? []);
      case "onet-soc":
        return fromSocs(this.soc2018FromOnet(code));
      case "census2018":
        return fromSocs(this.expandSoc2018(this.tables.census2018_soc2018[code]!));
    }
  }

  toNlswork(system: CodeSystem, code: string): Weighted {
    if (system === "nlswork") return one(code, "identity");
    const groups = occ1990ddToNlswork();
    const out: Weighted = new Map();
    for (const [occ, { w, via }] of this.toOcc1990dd(system, code))
      for (const [g, share] of Object.entries(groups.get(occ) ?? {})) add(out, g, w * share, `${via} -> 1970 major group`);
    return out;
  }

  /**
   * The input as a distribution over the taxonomy's codes; empty when no defensible path exists (a path
   * through the title-match bridge whose best target has less than MIN_BRIDGE_TOP counts as none).
   */
  toTaxonomy(system: CodeSystem, code: string, taxonomy: TaxonomyId): Weighted {
    const dist =
      taxonomy === "occ1990dd" ? this.toOcc1990dd(system, code)
      : taxonomy === "isco08" ? this.toIsco08(system, code)
      : this.toNlswork(system, code);
    const top = Math.max(0, ...[...dist.values()].map((v) => v.w));
    const bridged = [...dist.values()].some((v) => v.via.includes("bridge"));
    return bridged && top < MIN_BRIDGE_TOP ? new Map() : dist;
  }

  private titlesOf(taxonomy: TaxonomyId): Map<string, string> {
    let titles = this.titlesByTaxonomy.get(taxonomy);
    if (!titles) this.titlesByTaxonomy.set(taxonomy, (titles = new Map(getTaxonomy(taxonomy).labels.map((l) => [l.code, l.title]))));
    return titles;
  }

  convert(input: { code: string; system: CodeSystem }, opts: { taxonomy: TaxonomyId; limit?: number }): ConvertResult {
    const { system } = input;
    const code = normaliseCode(system, input.code);
    const base = { taxonomy: opts.taxonomy, code, system };
    if (!this.isKnown(system, code))
      return { ...base, status: "unknown-code", candidates: [], detail: `${JSON.stringify(input.code)} is not a ${system} code` };
    const dist = this.toTaxonomy(system, code, opts.taxonomy);
    const titles = this.titlesOf(opts.taxonomy);
    const candidates = [...dist]
      .filter(([c]) => titles.has(c)) // e.g. census2010 -> occ1990dd 999 (unclassified), which is no label
      .map(([c, { w, via }]) => ({ code: c, title: titles.get(c)!, confidence: Math.min(1, w), via }))
      .sort((a, b) => b.confidence - a.confidence || a.code.localeCompare(b.code, "en", { numeric: true }))
      .slice(0, opts.limit ?? 5);
    if (candidates.length === 0)
      return { ...base, status: "no-mapping", candidates, detail: `no defensible path from ${system} ${code} to ${opts.taxonomy}` };
    return { ...base, status: "ok", candidates };
  }
}

function bridgeShares(counts: Map<string, number> | undefined): Map<string, number> {
  if (!counts) return new Map();
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total < MIN_BRIDGE_EVIDENCE) return new Map();
  return new Map([...counts].map(([c, n]) => [c, n / total] as const).filter(([, s]) => s >= MIN_BRIDGE_SHARE));
}

/** Writes a code the way the tables key it: "0010" vs "10", "111011" vs "11-1011", "29-1141" vs "29-1141.00". */
export function normaliseCode(system: CodeSystem, code: string): string {
  const c = code.trim().toUpperCase();
  const digits = c.replace(/[^0-9X]/g, "");
  switch (system) {
    case "occ1990dd":
    case "nlswork":
    case "census1980":
    case "census2010":
      return /^\d+$/.test(c) ? String(Number(c)) : c;
    case "census2018":
      return /^\d{1,4}$/.test(c) ? c.padStart(4, "0") : c;
    case "isco08":
      return /^\d{3,4}$/.test(c) ? c.padStart(4, "0") : c;
    case "soc2010":
    case "soc2018":
      return /^\d{2}-?\d{4}(\.00)?$/.test(c) ? `${digits.slice(0, 2)}-${digits.slice(2, 6)}` : c;
    case "onet-soc":
      if (/^\d{2}-?\d{4}$/.test(c)) return `${digits.slice(0, 2)}-${digits.slice(2)}.00`;
      return /^\d{2}-?\d{4}\.\d{2}$/.test(c) ? `${digits.slice(0, 2)}-${digits.slice(2, 6)}.${digits.slice(6)}` : c;
  }
}
