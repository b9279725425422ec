// Occupation profiles: for each label (an O*NET-SOC, ISCO-08 or occ1990dd code), the mean of the TF-IDF
// vectors (unit length, binary term weights) of the titles labelled with it, each title weighted by that
// label's share of the title's weight; scaled to unit length. Ranking labels by cosine with a query
// generalises where no single known title is close ("personnel manager" shares words with many titles of
// human resources managers). Built when the index loads, from the documents: nothing extra is shipped.
import type { Postings } from "./accumulator.ts";

export interface ProfileInput {
  labelCount: number;
  termCount: number;
  docTermStart: Uint32Array;
  docTerms: Uint16Array;
  docLabelStart: Uint32Array;
  docLabels: Uint16Array;
  docLabelWeights: Uint8Array;
  idf: Float32Array;
  docNorm: Float32Array;
}

/** The profiles inverted: term -> (label, profile component). */
export function buildProfiles(x: ProfileInput): Postings {
  const { labelCount, termCount, docTermStart, docTerms, docLabelStart, docLabels, docLabelWeights, idf, docNorm } = x;
  const docCount = docNorm.length;
  // Label -> its documents, with the label's share of each document's label weight.
  const perLabel = new Uint32Array(labelCount + 1);
  for (let i = 0; i < docLabels.length; i++) perLabel[docLabels[i]! + 1]!++;
  for (let l = 0; l < labelCount; l++) perLabel[l + 1]! += perLabel[l]!;
  const labelDocs = new Uint32Array(docLabels.length);
  const labelShare = new Float64Array(docLabels.length);
  const fill = perLabel.slice(0, labelCount);
  for (let d = 0; d < docCount; d++) {
    const from = docLabelStart[d]!, to = docLabelStart[d + 1]!;
    let total = 0;
    for (let i = from; i < to; i++) total += docLabelWeights[i]!;
    for (let i = from; i < to; i++) {
      const at = fill[docLabels[i]!]!++;
      labelDocs[at] = d;
      labelShare[at] = docLabelWeights[i]! / total / docNorm[d]!;
    }
  }

  // Each label's profile in a dense scratch vector, emitted as (term, label, value) triples.
  const dense = new Float64Array(termCount);
  const touched = new Uint32Array(termCount);
  let pairs = 0;
  let pairTerm = new Uint32Array(1 << 17), pairLabel = new Uint16Array(1 << 17), pairValue = new Float32Array(1 << 17);
  for (let l = 0; l < labelCount; l++) {
    let nTouched = 0;
    for (let j = perLabel[l]!; j < perLabel[l + 1]!; j++) {
      const d = labelDocs[j]!;
      const scale = labelShare[j]!;
      for (let i = docTermStart[d]!; i < docTermStart[d + 1]!; i++) {
        const t = docTerms[i]!;
        if (dense[t] === 0) touched[nTouched++] = t;
        dense[t]! += scale * idf[t]!;
      }
    }
    let norm2 = 0;
    for (let k = 0; k < nTouched; k++) norm2 += dense[touched[k]!]! ** 2;
    const norm = Math.sqrt(norm2);
    if (pairs + nTouched > pairTerm.length) {
      const grow = <T extends Uint32Array | Uint16Array | Float32Array>(a: T, make: (n: number) => T): T => {
        const b = make(Math.max(a.length * 2, pairs + nTouched));
        b.set(a);
        return b;
      };
      pairTerm = grow(pairTerm, (n) => new Uint32Array(n));
      pairLabel = grow(pairLabel, (n) => new Uint16Array(n));
      pairValue = grow(pairValue, (n) => new Float32Array(n));
    }
    for (let k = 0; k < nTouched; k++) {
      const t = touched[k]!;
      pairTerm[pairs] = t;
      pairLabel[pairs] = l;
      pairValue[pairs++] = dense[t]! / norm;
      dense[t] = 0;
    }
  }

  // Inverted by term.
  const start = new Uint32Array(termCount + 1);
  for (let i = 0; i < pairs; i++) start[pairTerm[i]! + 1]!++;
  for (let t = 0; t < termCount; t++) start[t + 1]! += start[t]!;
  const items = new Uint16Array(pairs);
  const values = new Float32Array(pairs);
  const at = start.slice(0, termCount);
  for (let i = 0; i < pairs; i++) {
    const j = at[pairTerm[i]!]!++;
    items[j] = pairLabel[i]!;
    values[j] = pairValue[i]!;
  }
  return { start, items, values };
}
