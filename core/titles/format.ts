// model/titles/titles.bin: the title index as shipped, a binary container (written by scripts/build-titles.ts
// with encodeTitleIndex, read by title-index.ts with decodeTitleIndex):
//   bytes 0-7    magic: ASCII "LLETITLE"
//   bytes 8-11   container version (uint32, little-endian): TITLE_INDEX_VERSION
//   bytes 12-15  byte length of the JSON header (uint32, little-endian)
//   bytes 16-    the JSON header (UTF-8): everything but the large arrays (TitleIndexHeader), and where each
//                array lies in the data section
//   then         the data section, from the first multiple of 8 after the header: the large integer arrays
//                as raw little-endian typed arrays, each starting at a multiple of 8 bytes, so that the
//                loader views them in place (no copy, no decoding); padding bytes are zero.
// Raw bytes gzip far better than the base64 strings inside JSON of version 1. Platform-free (TextEncoder,
// TextDecoder, DataView, typed arrays).

export const TITLE_INDEX_FORMAT = "labor-llm-edge/titles";
export const TITLE_INDEX_VERSION = 2;
const MAGIC = "LLETITLE";
const FIXED_HEADER_BYTES = 16;
const ALIGN = 8;

/** The taxonomies a label can be projected on: the O*NET-SOC codes and the model taxonomies with codes. */
export const PROJECTION_TARGETS = ["onet-soc", "occ1990dd", "isco08"] as const;
export type ProjectionTarget = (typeof PROJECTION_TARGETS)[number];

/** The large arrays, in file order, with their element types. */
const ARRAYS = {
  doc_term_counts: "uint8",
  doc_terms: "uint16",
  doc_label_counts: "uint8",
  doc_labels: "uint16",
  doc_label_weights: "uint8",
} as const;
type ArrayName = keyof typeof ARRAYS;
type ArrayType = (typeof ARRAYS)[ArrayName];

/** The index as the loader uses it: the decoded file, or what the build makes before writing it. */
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
  /** "onet:29-1141.00", "isco:2221", "occ:95": the code a title was labelled with. */
  labels: string[];
  /** Per target, per label: the target codes it stands for with their shares (crosswalk weight). */
  projections: Record<ProjectionTarget, [code: string, share: number][][]>;
  /** Number of terms of each document (a document is one distinct normalised title). */
  doc_term_counts: Uint8Array;
  /** The term ids of every document, documents one after another. */
  doc_terms: Uint16Array;
  /** Number of labels of each document. */
  doc_label_counts: Uint8Array;
  /** Label ids (positions in `labels`), documents one after another. */
  doc_labels: Uint16Array;
  /** Each label's weight in its document, in half units (sources weigh differently). */
  doc_label_weights: Uint8Array;
}

/** Where an array lies: `offset` from the start of the data section, `bytes` long. */
export interface ArrayExtent {
  type: ArrayType;
  offset: number;
  bytes: number;
}

/** The JSON header: the file less its large arrays, plus where they lie. */
export type TitleIndexHeader = Omit<TitleIndexFile, ArrayName> & { arrays: Record<ArrayName, ArrayExtent> };

/** Typed arrays are viewed in the file's byte order, little-endian; on a big-endian platform they are copied. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** The index -> the file's bytes. Deterministic: the same index gives the same bytes. */
export function encodeTitleIndex(file: TitleIndexFile): Uint8Array {
  const arrays = {} as Record<ArrayName, ArrayExtent>;
  const parts: [offset: number, bytes: Uint8Array][] = [];
  let dataBytes = 0;
  for (const [name, type] of Object.entries(ARRAYS) as [ArrayName, ArrayType][]) {
    const a = file[name];
    const bytes = new Uint8Array(type === "uint16" ? a.length * 2 : a.length);
    const view = new DataView(bytes.buffer);
    if (type === "uint16") for (let i = 0; i < a.length; i++) view.setUint16(2 * i, a[i]!, true);
    else bytes.set(a);
    const offset = alignUp(dataBytes);
    arrays[name] = { type, offset, bytes: bytes.length };
    parts.push([offset, bytes]);
    dataBytes = offset + bytes.length;
  }
  const header: TitleIndexHeader = {
    format: file.format,
    version: file.version,
    fingerprint: file.fingerprint,
    attribution: file.attribution,
    stats: file.stats,
    terms: file.terms,
    labels: file.labels,
    projections: file.projections,
    arrays,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = alignUp(FIXED_HEADER_BYTES + json.length);
  const out = new Uint8Array(dataStart + dataBytes); // zero-filled: the padding
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, file.version, true);
  view.setUint32(12, json.length, true);
  out.set(json, FIXED_HEADER_BYTES);
  for (const [offset, bytes] of parts) out.set(bytes, dataStart + offset);
  return out;
}

/**
 * The file's bytes -> the index. The arrays are views of `source` (no copy) where its alignment allows, so
 * the caller must not change those bytes afterwards.
 */
export function decodeTitleIndex(source: ArrayBuffer | Uint8Array): TitleIndexFile {
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const fail = (why: string): never => {
    throw new Error(`not a title index of version ${TITLE_INDEX_VERSION} (${MAGIC}): ${why}`);
  };
  if (bytes.length < FIXED_HEADER_BYTES) fail(`${bytes.length} bytes`);
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) fail(`magic ${JSON.stringify(magic)}`);
  const fixed = new DataView(bytes.buffer, bytes.byteOffset, FIXED_HEADER_BYTES);
  const version = fixed.getUint32(8, true);
  if (version !== TITLE_INDEX_VERSION) fail(`version ${version}`);
  const jsonBytes = fixed.getUint32(12, true);
  const dataStart = alignUp(FIXED_HEADER_BYTES + jsonBytes);
  if (dataStart > bytes.length) fail(`header of ${jsonBytes} bytes in a file of ${bytes.length}`);
  const header: TitleIndexHeader = JSON.parse(new TextDecoder().decode(bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + jsonBytes)));
  if (header.format !== TITLE_INDEX_FORMAT || header.version !== version) fail(`header says ${header.format} ${header.version}`);

  const { arrays, ...rest } = header;
  const views = {} as Record<ArrayName, Uint8Array | Uint16Array>;
  for (const [name, type] of Object.entries(ARRAYS) as [ArrayName, ArrayType][]) {
    const extent = arrays?.[name];
    if (!extent || extent.type !== type) fail(`array ${name}: ${JSON.stringify(extent)}, expected ${type}`);
    const { offset, bytes: length } = extent!;
    const start = dataStart + offset;
    const size = type === "uint16" ? 2 : 1;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length % size !== 0 || start + length > bytes.length)
      fail(`array ${name} at ${offset}, ${length} bytes, outside the file's ${bytes.length - dataStart} data bytes`);
    const at = bytes.byteOffset + start;
    if (type === "uint8") views[name] = new Uint8Array(bytes.buffer, at, length);
    else if (LITTLE_ENDIAN && at % 2 === 0) views[name] = new Uint16Array(bytes.buffer, at, length / 2);
    else {
      // A Uint8Array at an odd offset (a slice of a larger buffer), or a big-endian platform: copy.
      const view = new DataView(bytes.buffer, at, length);
      const a = (views[name] = new Uint16Array(length / 2));
      for (let i = 0; i < a.length; i++) a[i] = view.getUint16(2 * i, true);
    }
  }
  return { ...rest, ...views } as TitleIndexFile;
}
