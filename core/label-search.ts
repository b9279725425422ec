// Autocomplete over a model's own titles, for label sets the title index does not cover (a user's own code
// list, `custom:NAME`): a label matches when every word of the query starts a word of its title (the last
// word may be unfinished). Platform-free and small: a code list has tens to hundreds of labels.
import type { LabelSet } from "./taxonomy.ts";

export interface LabelMatch {
  code: string;
  title: string;
  /** Share of the title's words the query covers, in (0, 1]: a closer match ranks first. */
  score: number;
}

/** Lower-case words of letters and digits, accents removed. */
export function words(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The labels whose titles match `q`, best first (ties in label order); special states included. */
export function searchLabels(labels: LabelSet, q: string, limit: number): LabelMatch[] {
  const query = words(q);
  if (query.length === 0) return [];
  const found: LabelMatch[] = [];
  for (const label of labels.labels) {
    const titleWords = words(label.title);
    const used = new Set<number>();
    const all = query.every((w) => {
      const i = titleWords.findIndex((t, j) => !used.has(j) && t.startsWith(w));
      if (i >= 0) used.add(i);
      return i >= 0;
    });
    if (all) found.push({ code: label.code, title: label.title, score: Math.round((query.length / titleWords.length) * 1000) / 1000 });
  }
  return found.sort((a, b) => b.score - a.score).slice(0, limit);
}
