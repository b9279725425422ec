// Train / validation / test split by person: a hash of the person id decides, so a person's years are
// never in two splits and the split never changes when rows are added or reordered.
export type Split = "train" | "validation" | "test";

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** 80% train, 10% validation, 10% test. The dataset name salts the hash so datasets split independently. */
export function splitOf(dataset: string, personId: string): Split {
  const bucket = fnv1a(`${dataset}\u0000${personId}`) % 100;
  return bucket < 80 ? "train" : bucket < 90 ? "validation" : "test";
}

export function splitCareers<T extends { id: string }>(dataset: string, careers: readonly T[]): Record<Split, T[]> {
  const out: Record<Split, T[]> = { train: [], validation: [], test: [] };
  for (const c of careers) out[splitOf(dataset, c.id)].push(c);
  return out;
}
