// Score accumulation over postings lists, shared by the title search and the occupation-profile ranking.
// Scratch arrays are allocated once per index and reused (one query at a time: JavaScript is
// single-threaded); stamps say which entries the current query and slot have touched, so nothing is cleared.

/** A query word and the index terms that stand for it, with a similarity in (0, 1] each. */
export interface QuerySlot {
  word: string;
  alternatives: { term: number; weight: number }[];
}

/** Term -> items (documents or labels) containing it, in compressed-row form; `values` weighs each entry. */
export interface Postings {
  start: Uint32Array;
  items: Uint32Array | Uint16Array;
  /** Per entry; absent: the term's idf (binary term weights). */
  values?: Float32Array;
}

export interface Scored {
  item: number;
  score: number;
}

export class Accumulator {
  private readonly acc: Float64Array;
  private readonly inQuery: Uint32Array;
  private readonly inSlot: Uint32Array;
  private readonly touched: Uint32Array;
  private touchedCount = 0;
  private stamp = 0;
  private slotStamp = 0;

  constructor(size: number) {
    this.acc = new Float64Array(size);
    this.inQuery = new Uint32Array(size);
    this.inSlot = new Uint32Array(size);
    this.touched = new Uint32Array(size);
  }

  /**
   * Dot products of the query with every item sharing a term, and the query's norm. The query weighs a
   * term idf * similarity; an item's entry is idf (or its value) * similarity, so a spelling match of
   * similarity w counts w^2. A slot's alternatives count once per item (the best one present). A slot with
   * no alternative still counts in the norm with `unknownIdf`: unknown words lower every similarity.
   */
  accumulate(slots: readonly QuerySlot[], postings: Postings, idf: Float32Array, unknownIdf: number): number {
    if (this.slotStamp > 0xfffffff0 - slots.length) {
      this.inQuery.fill(0);
      this.inSlot.fill(0);
      this.stamp = this.slotStamp = 0;
    }
    const stamp = ++this.stamp;
    const { start, items, values } = postings;
    this.touchedCount = 0;
    let norm2 = 0;
    for (const slot of slots) {
      const slotStamp = ++this.slotStamp;
      let best = 0;
      const alts = slot.alternatives.length > 1 ? [...slot.alternatives].sort((a, b) => b.weight - a.weight) : slot.alternatives;
      for (const { term, weight } of alts) {
        const q = weight * idf[term]!;
        best = Math.max(best, q);
        for (let i = start[term]!; i < start[term + 1]!; i++) {
          const d = items[i]!;
          if (this.inSlot[d] === slotStamp) continue;
          this.inSlot[d] = slotStamp;
          if (this.inQuery[d] !== stamp) {
            this.inQuery[d] = stamp;
            this.acc[d] = 0;
            this.touched[this.touchedCount++] = d;
          }
          this.acc[d]! += q * weight * (values ? values[i]! : idf[term]!);
        }
      }
      norm2 += alts.length > 0 ? best * best : unknownIdf * unknownIdf;
    }
    return Math.sqrt(norm2);
  }

  /** The `limit` best touched items by `score(item, dot)`, best first; ties by `tieBreak` (lower first). */
  top(limit: number, score: (item: number, dot: number) => number, tieBreak: (a: number, b: number) => number): Scored[] {
    const hits: Scored[] = [];
    const order = (a: Scored, b: Scored) => b.score - a.score || tieBreak(a.item, b.item);
    let floor = -Infinity;
    for (let i = 0; i < this.touchedCount; i++) {
      const item = this.touched[i]!;
      const s = score(item, this.acc[item]!);
      if (hits.length >= limit && s < floor) continue;
      hits.push({ item, score: s });
      if (hits.length >= limit * 4) {
        hits.sort(order);
        hits.length = limit;
        floor = hits[limit - 1]!.score;
      }
    }
    hits.sort(order);
    if (hits.length > limit) hits.length = limit;
    return hits;
  }
}
