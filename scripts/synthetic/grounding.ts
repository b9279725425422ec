// The real structure the synthetic career world is built on, read once from the reference data in
// ../shared/data: an occ1990dd -> occ1990dd move-weight graph (O*NET Career Changers Matrix and Related
// Occupations), a job zone per code (O*NET Job Zones) and a popularity per code (O*NET alternate titles).
// Everything here is deterministic; docs/synthetic-world.md states every rule and constant.
import { readCsv } from "../lib/csv.ts";
import { dataPath } from "../lib/paths.ts";
import { getTaxonomy } from "../../core/taxonomy.ts";

/** Career Changers Matrix: a destination ranked k (1..10) weighs CCM_WEIGHT * (11 - k) / 10. */
export const CCM_WEIGHT = 2;
/** Related Occupations: weight of a destination by relatedness tier. */
export const TIER_WEIGHT: Record<string, number> = { "Primary-Short": 1, "Primary-Long": 0.5, Supplemental: 0.25 };

export interface Grounding {
  /** occ1990dd codes in taxonomy order (the first `codes.length` labels of the label set). */
  codes: string[];
  /** Dorn group label per code ("" for 269 and 270, which fall outside every range). */
  groups: string[];
  /** Row-normalised move weights: moves[i * n + j] = share of moves out of code i that go to code j (i != j). */
  moves: Float64Array;
  /** How row i of `moves` was made: "onet" (from O*NET edges), "group" (same Dorn group), "all" (popularity). */
  moveSource: ("onet" | "group" | "all")[];
  /** Mean O*NET job zone (1-5) of the O*NET codes mapped to each code; group mean or overall mean if none. */
  jobZone: Float64Array;
  /** Whether jobZone[i] came from the code's own O*NET codes. */
  jobZoneObserved: boolean[];
  /** Number of O*NET alternate titles (of the O*NET codes mapped to the code, shared equally when an
   * O*NET code maps to several codes). */
  altTitles: Float64Array;
  /** Popularity weight: sqrt(1 + altTitles). */
  popularity: Float64Array;
  /** O*NET 2019 codes mapped per code (with the share of each that goes to this code). */
  onetCodes: { code: string; share: number }[][];
  /** How the O*NET 2019 codes matched: exact 2010 code, 6-digit SOC prefix, via SOC 2018 -> 2010, or none. */
  matchCounts: { exact: number; prefix: number; soc2018: number; none: number };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** Maps O*NET-SOC 2019 codes to occ1990dd codes: exact O*NET 2010 code, else the 6-digit SOC prefix of the
 * 2010 codes in the crosswalk, else the SOC 2018 prefix taken back to SOC 2010 codes through the BLS
 * crosswalk and then to their prefixes. Returns the occ1990dd codes (several only in the last step). */
export function onetMatcher(): { match: (onet2019: string) => string[]; how: (onet2019: string) => keyof Grounding["matchCounts"] } {
  const exact = new Map<string, string>();
  const byPrefix = new Map<string, string[]>();
  for (const { fields } of readCsv(dataPath("crosswalks", "onetsoc2010_to_occ1990dd.csv"))) {
    exact.set(fields.onetsoc2010!, fields.occ1990dd!);
    const p = fields.onetsoc2010!.slice(0, 7);
    const list = byPrefix.get(p) ?? [];
    if (!list.includes(fields.occ1990dd!)) list.push(fields.occ1990dd!);
    byPrefix.set(p, list);
  }
  const soc2018to2010 = new Map<string, string[]>();
  for (const { fields } of readCsv(dataPath("crosswalks", "soc2010_to_soc2018.csv"))) {
    push(soc2018to2010, fields.soc_2018_code!, fields.soc_2010_code!);
  }
  const how = (c: string): keyof Grounding["matchCounts"] => {
    if (exact.has(c)) return "exact";
    if (byPrefix.has(c.slice(0, 7))) return "prefix";
    return match(c).length > 0 ? "soc2018" : "none";
  };
  const match = (c: string): string[] => {
    const e = exact.get(c);
    if (e !== undefined) return [e];
    const p = byPrefix.get(c.slice(0, 7));
    if (p) return [...p];
    const out: string[] = [];
    for (const s2010 of soc2018to2010.get(c.slice(0, 7)) ?? []) {
      for (const occ of byPrefix.get(s2010) ?? []) if (!out.includes(occ)) out.push(occ);
    }
    return out.sort((a, b) => Number(a) - Number(b));
  };
  return { match, how };
}

export function loadGrounding(): Grounding {
  const labels = getTaxonomy("occ1990dd").labels;
  const codes = labels.map((l) => l.code);
  const groups = labels.map((l) => l.group ?? "");
  const n = codes.length;
  const idx = new Map(codes.map((c, i) => [c, i]));
  const { match, how } = onetMatcher();

  // Every O*NET 2019 code named in occupation_data, with its occ1990dd indices.
  const onetToOcc = new Map<string, number[]>();
  const matchCounts = { exact: 0, prefix: 0, soc2018: 0, none: 0 };
  const onetCodes: { code: string; share: number }[][] = codes.map(() => []);
  for (const { fields } of readCsv(dataPath("onet", "occupation_data.csv"))) {
    const c = fields["O*NET-SOC Code"]!;
    const occ = match(c)
      .map((o) => idx.get(o))
      .filter((i): i is number => i !== undefined);
    matchCounts[how(c)]++;
    onetToOcc.set(c, occ);
    for (const i of occ) onetCodes[i]!.push({ code: c, share: 1 / occ.length });
  }
  const occOf = (c: string): number[] => onetToOcc.get(c) ?? match(c).map((o) => idx.get(o)).filter((i): i is number => i !== undefined);

  // Popularity: alternate titles per O*NET code, shared equally among the occ1990dd codes it maps to.
  const altPerOnet = new Map<string, number>();
  for (const { fields } of readCsv(dataPath("onet", "alternate_titles.csv"))) {
    const c = fields["O*NET-SOC Code"]!;
    altPerOnet.set(c, (altPerOnet.get(c) ?? 0) + 1);
  }
  const altTitles = new Float64Array(n);
  for (const [c, count] of altPerOnet) {
    const occ = occOf(c);
    for (const i of occ) altTitles[i]! += count / occ.length;
  }
  const popularity = altTitles.map((a) => Math.sqrt(1 + a));

  // Job zones: mean over the O*NET codes mapped to the code (each weighted by its share).
  const zoneSum = new Float64Array(n);
  const zoneW = new Float64Array(n);
  for (const { fields } of readCsv(dataPath("onet", "job_zones.csv"))) {
    const occ = occOf(fields["O*NET-SOC Code"]!);
    const z = Number(fields["Job Zone"]);
    for (const i of occ) {
      zoneSum[i]! += z / occ.length;
      zoneW[i]! += 1 / occ.length;
    }
  }
  const jobZoneObserved = codes.map((_, i) => zoneW[i]! > 0);
  let allSum = 0;
  let allW = 0;
  const groupSum = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    if (!jobZoneObserved[i]) continue;
    const z = zoneSum[i]! / zoneW[i]!;
    allSum += z;
    allW++;
    const g = groupSum.get(groups[i]!) ?? [0, 0];
    g[0] += z;
    g[1]++;
    groupSum.set(groups[i]!, g);
  }
  const jobZone = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (jobZoneObserved[i]) jobZone[i] = zoneSum[i]! / zoneW[i]!;
    else {
      const g = groups[i] ? groupSum.get(groups[i]!) : undefined;
      jobZone[i] = g ? g[0] / g[1] : allSum / allW;
    }
  }

  // Edge weights per O*NET source code, to O*NET destination codes.
  const edges = new Map<string, Map<string, number>>();
  const addEdge = (from: string, to: string, w: number): void => {
    let m = edges.get(from);
    if (!m) edges.set(from, (m = new Map()));
    m.set(to, (m.get(to) ?? 0) + w);
  };
  for (const { fields } of readCsv(dataPath("onet", "career_changers_matrix.csv"))) {
    const k = Number(fields.Index);
    addEdge(fields["O*NET-SOC Code"]!, fields["Related O*NET-SOC Code"]!, (CCM_WEIGHT * (11 - k)) / 10);
  }
  for (const { fields } of readCsv(dataPath("onet", "related_occupations.csv"))) {
    const w = TIER_WEIGHT[fields["Relatedness Tier"]!];
    if (w === undefined) throw new Error(`unknown relatedness tier ${fields["Relatedness Tier"]}`);
    addEdge(fields["O*NET-SOC Code"]!, fields["Related O*NET-SOC Code"]!, w);
  }

  // Aggregate to occ1990dd: each O*NET source code s contributes, to every code i it maps to, its own
  // row (destinations mapped to occ1990dd, shared equally, edges back into i dropped) normalised to sum 1,
  // weighted by popularity of s (1 + alternate titles of s) times s's share of i.
  const moves = new Float64Array(n * n);
  const rowWeight = new Float64Array(n);
  const row = new Float64Array(n);
  for (const [s, dests] of edges) {
    const from = occOf(s);
    if (from.length === 0) continue;
    for (const i of from) {
      row.fill(0);
      let total = 0;
      for (const [d, w] of dests) {
        const to = occOf(d);
        for (const j of to) {
          if (j === i) continue;
          row[j]! += w / to.length;
          total += w / to.length;
        }
      }
      if (total === 0) continue;
      const sw = (1 + (altPerOnet.get(s) ?? 0)) / from.length;
      for (let j = 0; j < n; j++) if (row[j]! > 0) moves[i * n + j]! += (sw * row[j]!) / total;
      rowWeight[i]! += sw;
    }
  }
  const moveSource: Grounding["moveSource"] = [];
  for (let i = 0; i < n; i++) {
    const base = i * n;
    if (rowWeight[i]! > 0) {
      for (let j = 0; j < n; j++) moves[base + j]! /= rowWeight[i]!;
      moveSource.push("onet");
      continue;
    }
    // Fallback: the other codes of the same Dorn group, by popularity; else every other code by popularity.
    let total = 0;
    for (let j = 0; j < n; j++) if (j !== i && groups[i] && groups[j] === groups[i]) total += popularity[j]!;
    const sameGroup = total > 0;
    if (!sameGroup) for (let j = 0; j < n; j++) if (j !== i) total += popularity[j]!;
    for (let j = 0; j < n; j++) {
      if (j === i || (sameGroup && groups[j] !== groups[i])) continue;
      moves[base + j] = popularity[j]! / total;
    }
    moveSource.push(sameGroup ? "group" : "all");
  }

  return { codes, groups, moves, moveSource, jobZone, jobZoneObserved, altTitles, popularity, onetCodes, matchCounts };
}
