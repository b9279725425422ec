// A model's labels -> the codes of another system that correspond to them ("equivalents"), so that an answer
// names its occupations in the codes a job board files postings under (SOC 2018, O*NET-SOC, ISCO-08, Census
// 2018), with their current titles.
//
// The reverse of code conversion (convert.ts): a code X of the system is an equivalent of the label L when
// converting X into the model's taxonomy (Crosswalks.toTaxonomy, what convertCode answers) reaches L. Its
// `weight` is the share of X's crosswalk weight that reaches L (convertCode's confidence for L): 1 when X
// corresponds to L alone, less where the crosswalk splits X over several labels (equal shares at each link
// that fans out: the tables carry no employment counts). A weight is not a probability: the weights of one
// label's list need not sum to 1, and no part of a prediction's probability is given to its equivalents.
// One rule for every (taxonomy, system) pair, so an equivalent converts back to the label it came from.
//
// The reverse tables are built lazily, once per crosswalk tables, taxonomy and system (every code of the
// system converted once: 10-90 ms, on the first request of an isolate that asks for that system), never at
// module load. Platform-free; the shipped tables' entry is shipped-crosswalks.ts's equivalentsOf().
import { getTaxonomy, isTaxonomyId, TAXONOMY_IDS, type TaxonomyId } from "../taxonomy.ts";
import type { Crosswalks } from "./convert.ts";
import { normaliseTitle } from "./normalize.ts";

/** The systems a prediction's equivalents can be asked in: current editions only. */
export const EQUIVALENT_SYSTEMS = ["soc2018", "onet-soc", "isco08", "census2018"] as const;
export type EquivalentSystem = (typeof EQUIVALENT_SYSTEMS)[number];

/**
 * Most equivalents listed per prediction: a coarse label (an nlswork group) corresponds to hundreds of codes.
 * `total` says how many there are.
 */
export const MAX_EQUIVALENTS = 10;

export interface Equivalent {
  code: string;
  /** The code's current title in its system. */
  title: string;
  /** Share of the code's crosswalk weight that reaches the label, in (0, 1], to 4 decimals. Not a probability. */
  weight: number;
}

export interface Equivalents {
  system: EquivalentSystem;
  /** How many codes of the system correspond to the label (the list holds at most MAX_EQUIVALENTS of them). */
  total: number;
  /**
   * By weight, highest first; at equal weight, codes whose title the label's title names first (95
   * "Registered nurses": 29-1141 "Registered Nurses"), then codes of the major groups holding more of the
   * label's codes, then by code (ordered() below). Empty for a special state (EDU, UNEMP, NILF, NOWORK) and
   * for a label no code reaches.
   */
  codes: Equivalent[];
}

export function isEquivalentSystem(s: string): s is EquivalentSystem {
  return (EQUIVALENT_SYSTEMS as readonly string[]).includes(s);
}

/**
 * Why the labels of a model of `taxonomy` cannot be given equivalents in `system`, or undefined when they
 * can: every built-in taxonomy reaches every system of EQUIVALENT_SYSTEMS; a code list of a model's own
 * (`custom:NAME`, `--labels`) reaches none.
 */
export function equivalentsRefusal(taxonomy: string, system: string): string | undefined {
  if (!isEquivalentSystem(system)) return `equivalents are offered in ${EQUIVALENT_SYSTEMS.join(", ")}, not ${JSON.stringify(system)}`;
  if (!isTaxonomyId(taxonomy))
    return `the model's labels are its own code list (${taxonomy}), which no crosswalk links to ${system}: equivalents need a model of a built-in taxonomy (${TAXONOMY_IDS.join(", ")})`;
  return undefined;
}

/** Label code -> its equivalents, all of them, in order. */
type ReverseTable = ReadonlyMap<string, readonly Equivalent[]>;

const built = new WeakMap<Crosswalks, Map<string, ReverseTable>>();

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const byCode = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/**
 * Every code of a system with its current title and its major group: the SOC major group ("29" of 29-1141;
 * a Census 2018 code's through its SOC code), the ISCO-08 major group (its first digit).
 */
function systemCodes(crosswalks: Crosswalks, system: EquivalentSystem): { code: string; title: string; major: string }[] {
  const t = crosswalks.tables;
  switch (system) {
    case "soc2018":
      return crosswalks.soc2018List().map((code) => ({ code, title: crosswalks.soc2018Title(code) ?? code, major: code.slice(0, 2) }));
    case "onet-soc": // the O*NET-SOC 2019 occupations (the 2010 codes the Webb crosswalk is keyed by are not current)
      return Object.entries(t.onet_titles).map(([code, title]) => ({ code, title, major: code.slice(0, 2) }));
    case "census2018":
      return Object.entries(t.census2018_soc2018).map(([code, soc]) => ({ code, title: t.census2018_titles[code] ?? code, major: soc.slice(0, 2) }));
    case "isco08":
      return getTaxonomy("isco08").labels.map(({ code, title }) => ({ code, title, major: code.slice(0, 1) }));
  }
}

interface Found extends Equivalent {
  /** The label's title names the code: every normalised word of the code's title is in the label's. */
  named: boolean;
  major: string;
}

/**
 * The order of a label's equivalents: by weight, highest first; at equal weight, a code the label's title
 * names first (occ1990dd 95 "Registered nurses" lists SOC 29-1141 "Registered Nurses" before the nurse
 * anesthetists, midwives and practitioners that also map to it alone); then the codes of the major groups
 * that hold more of the label's codes (nlswork's "Operatives" lists production occupations, SOC 51, before
 * its scattered construction and transportation codes); then by code.
 */
function ordered(list: Found[]): Equivalent[] {
  const perMajor = new Map<string, number>();
  for (const e of list) perMajor.set(e.major, (perMajor.get(e.major) ?? 0) + 1);
  list.sort(
    (a, b) =>
      b.weight - a.weight ||
      Number(b.named) - Number(a.named) ||
      perMajor.get(b.major)! - perMajor.get(a.major)! ||
      byCode(a.major, b.major) ||
      byCode(a.code, b.code),
  );
  return list.map(({ code, title, weight }) => ({ code, title, weight }));
}

/** The reverse table of (taxonomy, system), built on first use. */
export function reverseTable(crosswalks: Crosswalks, taxonomy: TaxonomyId, system: EquivalentSystem): ReverseTable {
  let tables = built.get(crosswalks);
  if (!tables) built.set(crosswalks, (tables = new Map()));
  const key = `${taxonomy} ${system}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const labelWords = new Map(getTaxonomy(taxonomy).labels.map((l) => [l.code, new Set(normaliseTitle(l.title))]));
  const found = new Map<string, Found[]>();
  for (const { code, title, major } of systemCodes(crosswalks, system)) {
    const words = normaliseTitle(title);
    for (const [label, { w }] of crosswalks.toTaxonomy(system, code, taxonomy)) {
      const weight = round4(Math.min(1, w));
      const inLabel = labelWords.get(label);
      if (inLabel === undefined || weight <= 0) continue; // e.g. occ1990dd 999 (unclassified), which is no label
      const list = found.get(label) ?? [];
      list.push({ code, title, weight, named: words.length > 0 && words.every((t) => inLabel.has(t)), major });
      found.set(label, list);
    }
  }
  const out = new Map<string, Equivalent[]>();
  for (const [label, list] of found) out.set(label, ordered(list));
  tables.set(key, out);
  return out;
}

/**
 * The equivalents of one label of a model of `taxonomy` (a built-in taxonomy: check equivalentsRefusal
 * first): at most `limit` (default MAX_EQUIVALENTS) codes, and how many there are in all. A code that is not
 * one of the taxonomy's labels (a special state) has none.
 */
export function equivalentsFor(
  crosswalks: Crosswalks,
  label: string,
  opts: { taxonomy: string; system: EquivalentSystem; limit?: number },
): Equivalents {
  const refused = equivalentsRefusal(opts.taxonomy, opts.system);
  if (refused) throw new Error(refused);
  const all = reverseTable(crosswalks, opts.taxonomy as TaxonomyId, opts.system).get(label) ?? [];
  return { system: opts.system, total: all.length, codes: all.slice(0, opts.limit ?? MAX_EQUIVALENTS).map((e) => ({ ...e })) };
}
