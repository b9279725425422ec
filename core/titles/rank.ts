// A query -> a ranking of target codes, before calibration. Two views of the labelled titles are pooled
// into one distribution over the target's codes:
//   neighbours: the known titles most similar to the query, each holding a distribution over codes (a title
//     seen under several occupations splits; a crosswalk link that fans out splits), weighted by
//     exp((s_d - s_best) / NEIGHBOUR_TEMPERATURE), s_d the title's cosine similarity (1: the same words);
//   profiles: the codes' profiles (profiles.ts), weighted by exp((p_l - p_best) / PROFILE_TEMPERATURE);
//   p(code) = NEIGHBOUR_SHARE * neighbours(code) + (1 - NEIGHBOUR_SHARE) * profiles(code).
// The constants were chosen on the validation titles (`npm run eval:titles -- --split validation`).
import type { DocHit, IndexTarget, LabelHit, QuerySlot, TitleIndex } from "./title-index.ts";

const NEIGHBOURS = 30;
const PROFILES = 50;
const NEIGHBOUR_TEMPERATURE = 0.2;
const PROFILE_TEMPERATURE = 0.1;
const NEIGHBOUR_SHARE = 0.6;

export interface RankedCode {
  code: string;
  /** Pooled share in [0, 1] (shares of all codes sum to at most 1: crosswalks may not reach the target). */
  p: number;
  /** The O*NET-SOC occupation that brought most of this code's weight. */
  onet?: string;
  /** The most similar known title with a label reaching this code. */
  bestDoc?: number;
}

export interface Ranking {
  /** Cosine similarity of the most similar known title (0: none shares a word). */
  match: number;
  codes: RankedCode[];
}

/** Softmax weights of best-first scores at a temperature; they sum to 1. */
function softmax(scores: readonly number[], temperature: number): number[] {
  const best = scores[0] ?? 0;
  const w = scores.map((s) => Math.exp((s - best) / temperature));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

function pool(index: TitleIndex, hits: readonly DocHit[], labelHits: readonly LabelHit[], target: IndexTarget): RankedCode[] {
  const byCode = new Map<string, RankedCode & { onetWeight: number }>();
  const credit = (label: number, weight: number, doc?: number) => {
    const name = index.labels[label]!;
    const onet = name.startsWith("onet:") ? name.slice(5) : undefined;
    for (const [code, share] of index.projection(target, label)) {
      const w = weight * share;
      const r = byCode.get(code) ?? { code, p: 0, onetWeight: 0 };
      r.p += w;
      if (onet && w > r.onetWeight) Object.assign(r, { onet, onetWeight: w });
      if (doc !== undefined && r.bestDoc === undefined) r.bestDoc = doc;
      byCode.set(code, r);
    }
  };
  // Only profiles of codes that reach the target compete (an ESCO group's profile says nothing of O*NET-SOC).
  const reaching = labelHits.filter((h) => index.projection(target, h.label).length > 0);
  const share = reaching.length > 0 ? NEIGHBOUR_SHARE : 1;
  const bestRank = hits[0]!.rank;
  const neighbourWeights = softmax(hits.map((h) => h.rank / bestRank), NEIGHBOUR_TEMPERATURE);
  hits.forEach(({ doc }, i) => {
    const labels = index.docLabelsOf(doc);
    const total = labels.reduce((s, l) => s + l.weight, 0);
    for (const { label, weight } of labels) credit(label, (share * neighbourWeights[i]! * weight) / total, doc);
  });
  const profileWeights = softmax(reaching.map((h) => h.score), PROFILE_TEMPERATURE);
  reaching.forEach(({ label }, i) => credit(label, (1 - share) * profileWeights[i]!));
  return [...byCode.values()]
    .map(({ onetWeight: _, ...r }) => r)
    .sort((a, b) => b.p - a.p || a.code.localeCompare(b.code, "en", { numeric: true }));
}

export function rankCodes(index: TitleIndex, slots: readonly QuerySlot[], target: IndexTarget, limit: number): Ranking {
  const hits = index.search(slots, NEIGHBOURS);
  if (hits.length === 0) return { match: 0, codes: [] };
  return { match: Math.max(...hits.map((h) => h.score)), codes: pool(index, hits, index.rankLabels(slots, PROFILES), target).slice(0, limit) };
}
