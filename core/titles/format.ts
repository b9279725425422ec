// model/titles/titles.json: the title index as shipped. One JSON object; the large integer arrays are
// little-endian typed arrays in base64 (a fraction of the size of JSON numbers, and decoded faster).
// Written by scripts/build-titles.ts, read by title-index.ts.

export const TITLE_INDEX_FORMAT = "labor-llm-edge/titles";
export const TITLE_INDEX_VERSION = 1;

/** The taxonomies a label can be projected on: the O*NET-SOC codes and the model taxonomies with codes. */
export const PROJECTION_TARGETS = ["onet-soc", "occ1990dd", "isco08"] as const;
export type ProjectionTarget = (typeof PROJECTION_TARGETS)[number];

export interface TitleIndexFile {
  format: typeof TITLE_INDEX_FORMAT;
  version: number;
  /** sha256 over the reference files it was built from (the same as crosswalk-tables.json's). */
  fingerprint: string;
  attribution: string[];
  /** Counts for documentation: labelled titles read, distinct normalised titles, ... */
  stats: Record<string, number>;
  /** Index terms (normalised, stemmed words), sorted, joined by "\n". Term id = position. */
  terms: string;
  /** Uint8: number of terms of each document (a document is one distinct normalised title). */
  doc_term_counts: string;
  /** Uint16: the term ids of every document, documents one after another. */
  doc_terms: string;
  /** Uint8: number of labels of each document. */
  doc_label_counts: string;
  /** Uint16: label ids (positions in `labels`), documents one after another. */
  doc_labels: string;
  /** Uint8: each label's weight in its document, in half units (sources weigh differently). */
  doc_label_weights: string;
  /** "onet:29-1141.00", "isco:2221", "occ:95": the code a title was labelled with. */
  labels: string[];
  /** Per target, per label: the target codes it stands for with their shares (crosswalk weight). */
  projections: Record<ProjectionTarget, [code: string, share: number][][]>;
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const SEXTET = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/** Base64 (padded, no line breaks) -> bytes; a table decoder, several times faster than atob in Node. */
export function decodeBase64(text: string): Uint8Array {
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (SEXTET[text.charCodeAt(i)]! << 18) | (SEXTET[text.charCodeAt(i + 1)]! << 12) |
      (SEXTET[text.charCodeAt(i + 2)]! << 6) | SEXTET[text.charCodeAt(i + 3)]!;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

/** Typed arrays are written little-endian; every platform the project runs on is little-endian. */
export function decodeUint16(text: string): Uint16Array {
  const b = decodeBase64(text);
  return new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
}

export function encodeUint16(values: ArrayLike<number>): string {
  const a = Uint16Array.from(values as ArrayLike<number>);
  return encodeBase64(new Uint8Array(a.buffer));
}
