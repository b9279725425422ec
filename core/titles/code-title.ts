// Free-text title -> ranked codes of a taxonomy with a calibrated confidence, and whether a person should
// confirm; and occupation autocomplete. The ranking is rank.ts's. The top candidate's confidence is Platt
// scaling of its pooled share p and of how well the most similar known title matches (s):
//   confidence_1 = 1 / (1 + exp(-(a ln p_1 + b ln s + c)))
// with (a, b, c) per taxonomy fitted on the validation titles (`npm run eval:titles -- --split validation
// --fit-calibration`), so that a top confidence of 0.7 is right about 70% of the time on held-out titles.
// The other candidates share the rest in proportion to their pooled shares (the share no code received
// included), capped at the top's: confidence_i = min(confidence_1, (1 - confidence_1) p_i / (1 - p_1)).
// Confidences therefore sum to at most 1.
import { getTaxonomy, type TaxonomyId } from "../taxonomy.ts";
import { normaliseTitle, titleWords } from "./normalize.ts";
import { rankCodes, type Ranking } from "./rank.ts";
import { defaultCrosswalks } from "./shipped-crosswalks.ts";
import { stem } from "./stem.ts";
import type { QuerySlot, TitleIndex } from "./title-index.ts";

/** What a title can be coded to: a model taxonomy, or O*NET-SOC 2019 occupations. */
export type TitleTaxonomy = TaxonomyId | "onet-soc";

export interface TitleCandidate {
  code: string;
  title: string;
  /** Calibrated probability in [0, 1] that this is the title's code. */
  confidence: number;
  /** The O*NET-SOC occupation that brought most of this code's weight (absent for ESCO-only matches). */
  onet_soc?: string;
  /** The most similar known title coded to it, normalised (stemmed words); absent when only its profile matched. */
  matched?: string;
}

export interface CodeTitleResult {
  candidates: TitleCandidate[];
  /** True when the answer should be confirmed by a person: see AMBIGUITY. */
  ambiguous: boolean;
  /** Why it is ambiguous: no usable words, nothing similar known, low confidence, or a close second. */
  reason?: "no-words" | "no-match" | "low-confidence" | "close-call";
}

export interface Calibration {
  a: number;
  b: number;
  c: number;
}

/** Platt scaling per taxonomy, fitted on the validation titles (isco08: on held-out ESCO labels). */
export const CALIBRATION: Record<TitleTaxonomy, Calibration> = {
  "onet-soc": { a: 1.5012, b: 1.3771, c: 2.4775 },
  occ1990dd: { a: 1.6673, b: 1.6947, c: 2.6937 },
  nlswork: { a: 3.1548, b: 0.5743, c: 3.4331 },
  isco08: { a: 2.0331, b: 2.2902, c: 3.7382 },
};

/**
 * The rule for "ambiguous or unknown": no candidate (the query has no usable word, or no known title is
 * similar enough: best similarity below MIN_MATCH), or a top confidence below MIN_CONFIDENCE (more likely
 * wrong than right), or a runner-up within MIN_MARGIN of the top.
 */
export const AMBIGUITY = { MIN_MATCH: 0.3, MIN_CONFIDENCE: 0.5, MIN_MARGIN: 0.1 } as const;

export function calibrated(taxonomy: TitleTaxonomy, p: number, match: number): number {
  const { a, b, c } = CALIBRATION[taxonomy];
  if (p <= 0 || match <= 0) return 0;
  return 1 / (1 + Math.exp(-(a * Math.log(p) + b * Math.log(match) + c)));
}

export function titleSlots(index: TitleIndex, text: string): QuerySlot[] {
  return normaliseTitle(text).map((w) => index.slot(w));
}

/** Autocomplete: every word exact (or spelling-matched) except the last, which may be unfinished. */
function prefixSlots(index: TitleIndex, text: string): QuerySlot[] {
  const terms = normaliseTitle(text);
  const typed = titleWords(text).at(-1);
  if (terms.length === 0 || typed === undefined || /\s$/.test(text)) return terms.map((w) => index.slot(w));
  const last = terms.at(-1)!;
  // The raw word as typed is the prefix when it is the last term unstemmed ("nurses" -> "nurse"); a word
  // that normalisation rewrote ("mgr" -> "manager") is matched as rewritten.
  const prefix = stem(typed) === last ? typed : last;
  return [...terms.slice(0, -1).map((w) => index.slot(w)), index.prefixSlot(prefix, last)];
}

function titleOf(taxonomy: TitleTaxonomy): (code: string) => string {
  if (taxonomy === "onet-soc") {
    const titles = defaultCrosswalks().tables.onet_titles;
    return (code) => titles[code] ?? code;
  }
  const titles = new Map(getTaxonomy(taxonomy).labels.map((l) => [l.code, l.title]));
  return (code) => titles.get(code) ?? code;
}

function toCandidates(index: TitleIndex, ranking: Ranking, taxonomy: TitleTaxonomy): TitleCandidate[] {
  const title = titleOf(taxonomy);
  const top = ranking.codes[0];
  if (!top) return [];
  const first = calibrated(taxonomy, top.p, ranking.match);
  const rest = top.p < 1 ? (1 - first) / (1 - top.p) : 0;
  return ranking.codes.map((r, i) => ({
    code: r.code,
    title: title(r.code),
    confidence: i === 0 ? first : Math.min(first, rest * r.p),
    ...(r.onet ? { onet_soc: r.onet } : {}),
    ...(r.bestDoc !== undefined ? { matched: index.docText(r.bestDoc) } : {}),
  }));
}

/** Codes a free-text job title: ranked candidates of `taxonomy` and whether a person should confirm. */
export function codeTitle(
  index: TitleIndex,
  title: string,
  opts: { taxonomy: TitleTaxonomy; limit?: number },
): CodeTitleResult {
  const limit = opts.limit ?? 5;
  const slots = titleSlots(index, title);
  if (slots.length === 0) return { candidates: [], ambiguous: true, reason: "no-words" };
  const ranking = rankCodes(index, slots, opts.taxonomy, Math.max(2, limit));
  if (ranking.match < AMBIGUITY.MIN_MATCH) return { candidates: [], ambiguous: true, reason: "no-match" };
  const found = toCandidates(index, ranking, opts.taxonomy).filter((c) => c.confidence > 0);
  const [top, second] = found;
  const reason =
    !top ? "no-match"
    : top.confidence < AMBIGUITY.MIN_CONFIDENCE ? "low-confidence"
    : second && top.confidence - second.confidence < AMBIGUITY.MIN_MARGIN ? "close-call"
    : undefined;
  return { candidates: found.slice(0, limit), ambiguous: reason !== undefined, ...(reason ? { reason } : {}) };
}

export interface OccupationSuggestion {
  code: string;
  title: string;
  /** Relevance in [0, 1], for ordering (computed like a confidence, but for a query still being typed). */
  score: number;
  onet_soc?: string;
  matched?: string;
}

/** Autocomplete over occupations: the last word may be unfinished ("registered nur"). */
export function searchOccupations(
  index: TitleIndex,
  q: string,
  opts: { taxonomy: TitleTaxonomy; limit?: number },
): OccupationSuggestion[] {
  const slots = prefixSlots(index, q);
  if (slots.length === 0) return [];
  const ranking = rankCodes(index, slots, opts.taxonomy, opts.limit ?? 10);
  return toCandidates(index, ranking, opts.taxonomy).map(({ confidence, ...c }) => ({ ...c, score: confidence }));
}
