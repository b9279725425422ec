// The title index in memory, and retrieval over it: BM25 ranks the distinct known titles (binary term
// frequency, so a title is its set of words) and reports each one's TF-IDF cosine with the query; cosine
// also ranks the occupations' profiles (profiles.ts). Words the index does not know are matched to known
// words of similar spelling (character trigrams); the last word of an autocomplete query matches the known
// words it begins. Platform-free (typed arrays; the file's format: format.ts).
import { Accumulator, type Postings, type QuerySlot, type Scored } from "./accumulator.ts";
import { occ1990ddToNlswork } from "./crosswalks.ts";
import { buildProfiles } from "./profiles.ts";
import {
  decodeTitleIndex,
  PROJECTION_TARGETS,
  TITLE_INDEX_FORMAT,
  TITLE_INDEX_VERSION,
  type ProjectionTarget,
  type TitleIndexFile,
} from "./format.ts";

export type IndexTarget = ProjectionTarget | "nlswork";
export type Projection = readonly (readonly [code: string, share: number])[];

export type { QuerySlot } from "./accumulator.ts";

export interface DocHit {
  doc: number;
  /** BM25 score: the ranking. */
  rank: number;
  /** Cosine similarity of binary TF-IDF vectors, in [0, 1]: how close the title is (1: the same words). */
  score: number;
}

export interface LabelHit {
  label: number;
  /** Cosine similarity with the label's profile, in [0, 1]. */
  score: number;
}

/** A word the index lacks counts as this rare in the query's norm: unknown words lower every match. */
const UNKNOWN_WORD_DF = 1;
/** Least trigram (Dice) similarity for a spelling match, and how many matches one word may bring. */
const FUZZY_MIN = 0.6;
const FUZZY_MAX = 3;
/** BM25 constants (binary term frequency; BM25+ lower bound DELTA), as MiniSearch's defaults. */
const BM25 = { K1: 1.2, B: 0.7, DELTA: 0.5 } as const;
/** An autocomplete prefix expands to at most this many words (the most common ones). */
const PREFIX_MAX = 64;

export class TitleIndex {
  readonly fingerprint: string;
  readonly version: number;
  readonly stats: Readonly<Record<string, number>>;
  readonly attribution: readonly string[];
  readonly terms: readonly string[];
  readonly docCount: number;
  readonly labels: readonly string[];
  private readonly docTermStart: Uint32Array;
  private readonly docTerms: Uint16Array;
  private readonly docLabelStart: Uint32Array;
  private readonly docLabels: Uint16Array;
  private readonly docLabelWeights: Uint8Array;
  private readonly docPostings: Postings;
  private readonly bm25Postings: Postings;
  private readonly bm25Idf: Float32Array;
  private readonly profilePostings: Postings;
  readonly idf: Float32Array;
  private readonly docNorm: Float32Array;
  private readonly docWeight: Float32Array;
  private readonly projections: Record<IndexTarget, Projection[]>;
  private trigrams?: Map<string, number[]>;
  private readonly unknownIdf: number;
  private readonly docScores: Accumulator;
  private readonly labelScores: Accumulator;

  constructor(file: TitleIndexFile) {
    if (file.format !== TITLE_INDEX_FORMAT || file.version !== TITLE_INDEX_VERSION)
      throw new Error(`not a title index of version ${TITLE_INDEX_VERSION}: ${file.format} ${file.version}`);
    this.fingerprint = file.fingerprint;
    this.version = file.version;
    this.stats = file.stats;
    this.attribution = file.attribution;
    this.terms = file.terms.split("\n"); // sorted: looked up by binary search
    this.labels = file.labels;

    // Locals, not fields, in the loops below: the object's shape is still changing inside the constructor.
    // The arrays are used as given (views of the file's bytes when loaded from them): never written to.
    const termCounts = file.doc_term_counts;
    const n = (this.docCount = termCounts.length);
    const docTerms = (this.docTerms = file.doc_terms);
    const docLabelWeights = (this.docLabelWeights = file.doc_label_weights);
    this.docLabels = file.doc_labels;
    const docTermStart = (this.docTermStart = prefixSums(termCounts));
    const docLabelStart = (this.docLabelStart = prefixSums(file.doc_label_counts));
    if (file.doc_label_counts.length !== n || docTermStart[n] !== docTerms.length || docLabelStart[n] !== this.docLabels.length || docLabelWeights.length !== this.docLabels.length)
      throw new Error("title index: its arrays disagree in length");

    // Postings: the documents of each term, in document order.
    const v = this.terms.length;
    const df = new Uint32Array(v);
    for (let i = 0; i < docTerms.length; i++) df[docTerms[i]!]!++;
    const postStart = prefixSums(df);
    const postDocs = new Uint32Array(docTerms.length);
    const fill = postStart.slice(0, v);
    for (let d = 0; d < n; d++)
      for (let i = docTermStart[d]!; i < docTermStart[d + 1]!; i++) postDocs[fill[docTerms[i]!]!++] = d;
    this.docPostings = { start: postStart, items: postDocs };
    const idf = (this.idf = new Float32Array(v));
    for (let t = 0; t < v; t++) idf[t] = Math.log((n + 1) / Math.max(df[t]!, 1));
    this.unknownIdf = Math.log((n + 1) / UNKNOWN_WORD_DF);
    const bm25Idf = (this.bm25Idf = new Float32Array(v));
    for (let t = 0; t < v; t++) bm25Idf[t] = Math.log(1 + (n - df[t]! + 0.5) / (df[t]! + 0.5));
    // BM25's length normalisation of a document, stored on each of its postings.
    const avgLength = docTerms.length / n;
    const lengthNorm = new Float32Array(docTerms.length);
    for (let t = 0; t < v; t++)
      for (let i = postStart[t]!; i < postStart[t + 1]!; i++) {
        const d = postDocs[i]!;
        const len = docTermStart[d + 1]! - docTermStart[d]!;
        lengthNorm[i] = (BM25.K1 + 1) / (1 + BM25.K1 * (1 - BM25.B + (BM25.B * len) / avgLength)) + BM25.DELTA;
      }
    this.bm25Postings = { start: postStart, items: postDocs, values: lengthNorm };
    const docNorm = (this.docNorm = new Float32Array(n));
    const docWeight = (this.docWeight = new Float32Array(n));
    for (let d = 0; d < n; d++) {
      let s = 0;
      for (let i = docTermStart[d]!; i < docTermStart[d + 1]!; i++) s += idf[docTerms[i]!]! ** 2;
      docNorm[d] = Math.sqrt(s);
      let w = 0;
      for (let i = docLabelStart[d]!; i < docLabelStart[d + 1]!; i++) w += docLabelWeights[i]!;
      docWeight[d] = w / 2;
    }

    const projections = {} as Record<IndexTarget, Projection[]>;
    for (const t of PROJECTION_TARGETS) projections[t] = file.projections[t];
    const groups = occ1990ddToNlswork();
    projections.nlswork = file.projections.occ1990dd.map((occs) => {
      const m = new Map<string, number>();
      for (const [occ, share] of occs)
        for (const [g, w] of Object.entries(groups.get(occ) ?? {})) m.set(g, (m.get(g) ?? 0) + share * w);
      return [...m];
    });
    this.projections = projections;

    this.profilePostings = buildProfiles({
      labelCount: this.labels.length,
      termCount: v,
      docTermStart: this.docTermStart,
      docTerms: this.docTerms,
      docLabelStart: this.docLabelStart,
      docLabels: this.docLabels,
      docLabelWeights: this.docLabelWeights,
      idf: this.idf,
      docNorm: this.docNorm,
    });
    this.docScores = new Accumulator(n);
    this.labelScores = new Accumulator(this.labels.length);
  }

  termId(term: string): number | undefined {
    const i = lowerBound(this.terms, term);
    return this.terms[i] === term ? i : undefined;
  }

  /** Normalised terms of a document (for showing which known title matched). */
  docText(doc: number): string {
    const out: string[] = [];
    for (let i = this.docTermStart[doc]!; i < this.docTermStart[doc + 1]!; i++) out.push(this.terms[this.docTerms[i]!]!);
    return out.join(" ");
  }

  /** The labels of a document with their weights. */
  docLabelsOf(doc: number): { label: number; weight: number }[] {
    const out: { label: number; weight: number }[] = [];
    for (let i = this.docLabelStart[doc]!; i < this.docLabelStart[doc + 1]!; i++)
      out.push({ label: this.docLabels[i]!, weight: this.docLabelWeights[i]! / 2 });
    return out;
  }

  /** Total label weight of a document: how often (and by how strong sources) the title was seen. */
  docPopularity(doc: number): number {
    return this.docWeight[doc]!;
  }

  projection(target: IndexTarget, label: number): Projection {
    return this.projections[target][label] ?? [];
  }

  /** A query word -> the index terms for it: itself if known, else known words of similar spelling. */
  slot(word: string): QuerySlot {
    const id = this.termId(word);
    if (id !== undefined) return { word, alternatives: [{ term: id, weight: 1 }] };
    return { word, alternatives: this.similarTerms(word) };
  }

  /**
   * An autocomplete word: the known words it begins (at most PREFIX_MAX, most common first), each weighted
   * by the square root of its frequency relative to the most common one, so that "dr" suggests drivers
   * before "dredger". Unknown prefixes fall back to spelling matches.
   */
  prefixSlot(word: string, stemmed: string): QuerySlot {
    const found = new Set<number>();
    for (const w of [word, stemmed]) {
      const t = this.termId(w);
      if (t !== undefined) found.add(t);
    }
    if (word.length >= 2)
      for (let t = lowerBound(this.terms, word); t < this.terms.length && this.terms[t]!.startsWith(word); t++) found.add(t);
    if (found.size === 0) return { word, alternatives: this.similarTerms(word) };
    const byDf = [...found].map((term) => ({ term, df: this.df(term) })).sort((a, b) => b.df - a.df).slice(0, PREFIX_MAX);
    const top = byDf[0]!.df;
    return { word, alternatives: byDf.map(({ term, df }) => ({ term, weight: Math.sqrt(df / top) })) };
  }

  private similarTerms(word: string): { term: number; weight: number }[] {
    if (word.length < 4) return [];
    this.trigrams ??= buildTrigrams(this.terms);
    const grams = trigramsOf(word);
    const common = new Map<number, number>();
    for (const g of grams) for (const t of this.trigrams.get(g) ?? []) common.set(t, (common.get(t) ?? 0) + 1);
    const out: { term: number; weight: number }[] = [];
    for (const [t, c] of common) {
      const dice = (2 * c) / (grams.size + trigramsOf(this.terms[t]!).size);
      if (dice >= FUZZY_MIN) out.push({ term: t, weight: dice });
    }
    return out.sort((a, b) => b.weight - a.weight).slice(0, FUZZY_MAX);
  }

  /** Number of known titles with the term. */
  df(term: number): number {
    return this.docPostings.start[term + 1]! - this.docPostings.start[term]!;
  }

  /**
   * The known titles best matching a query, by BM25 (among equal scores the more often seen title, then
   * the earlier one), each with its cosine similarity to the query.
   */
  search(slots: readonly QuerySlot[], limit: number): DocHit[] {
    this.docScores.accumulate(slots, this.bm25Postings, this.bm25Idf, 0);
    const top = this.docScores.top(limit, (_, dot) => dot, (a, b) => this.docWeight[b]! - this.docWeight[a]! || a - b);
    if (top.length === 0) return [];
    // Cosine for the few titles found: the query's weight of each term (its best alternative in a slot).
    const weight = new Map<number, number>();
    let norm2 = 0;
    for (const slot of slots) {
      let best = 0;
      for (const { term, weight: w } of slot.alternatives) {
        if (w > (weight.get(term) ?? 0)) weight.set(term, w);
        best = Math.max(best, w * this.idf[term]!);
      }
      norm2 += slot.alternatives.length > 0 ? best * best : this.unknownIdf ** 2;
    }
    const qn = Math.sqrt(norm2);
    return top.map(({ item: d, score: rank }: Scored) => {
      let dot = 0;
      for (let i = this.docTermStart[d]!; i < this.docTermStart[d + 1]!; i++) {
        const t = this.docTerms[i]!;
        const w = weight.get(t);
        if (w !== undefined) dot += w * w * this.idf[t]! ** 2;
      }
      return { doc: d, rank, score: Math.min(1, dot / (qn * this.docNorm[d]!)) };
    });
  }

  /** The labels whose profiles are most similar to a query, best first. */
  rankLabels(slots: readonly QuerySlot[], limit: number): LabelHit[] {
    const qn = this.labelScores.accumulate(slots, this.profilePostings, this.idf, this.unknownIdf);
    if (qn === 0) return [];
    return this.labelScores.top(limit, (_, dot) => dot / qn, (a, b) => a - b).map(({ item, score }) => ({ label: item, score }));
  }
}

/**
 * Loads the index from what the platform hands over: the file's bytes (model/titles/titles.bin; the index
 * keeps views of them, so leave them unchanged), or the decoded index (as the build makes it).
 */
export function loadTitleIndex(source: ArrayBuffer | Uint8Array | TitleIndexFile): TitleIndex {
  return new TitleIndex(source instanceof ArrayBuffer || source instanceof Uint8Array ? decodeTitleIndex(source) : source);
}

const parsed = new WeakMap<ArrayBuffer | Uint8Array, TitleIndex>();

/** loadTitleIndex of a file's bytes, parsed once per bytes object: a process parses its shipped index on the
 *  first request that needs it (about a tenth of a second: docs/titles.md) and keeps it. */
export function titleIndexOf(bytes: ArrayBuffer | Uint8Array): TitleIndex {
  let index = parsed.get(bytes);
  if (!index) parsed.set(bytes, (index = loadTitleIndex(bytes)));
  return index;
}

function prefixSums(counts: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) out[i + 1] = out[i]! + counts[i]!;
  return out;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function trigramsOf(word: string): Set<string> {
  const w = `#${word}#`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= w.length; i++) out.add(w.slice(i, i + 3));
  return out;
}

function buildTrigrams(terms: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  terms.forEach((t, id) => {
    for (const g of trigramsOf(t)) {
      const list = out.get(g);
      if (list) list.push(id);
      else out.set(g, [id]);
    }
  });
  return out;
}
