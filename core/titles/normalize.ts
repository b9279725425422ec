// Free-text job title -> the words the index matches on: lower case, accents and punctuation gone,
// abbreviations spelled out, words about schedule or level dropped, plurals stemmed, each word once.
// "RN - ICU nights" -> registered nurse intensive care unit; "Sr. Software Eng." -> senior software engineer.
import { ABBREVIATIONS, CONTEXTUAL, NOISE, STOPWORDS, SYMBOLS } from "./abbreviations.ts";
import { stem } from "./stem.ts";

/** Lower-case words of a title, abbreviations expanded, before noise removal and stemming. */
export function titleWords(text: string): string[] {
  let s = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  for (const [pattern, replacement] of SYMBOLS) s = s.replace(pattern, replacement);
  // Dotted abbreviations ("sr.", "r.n.") become plain words; other punctuation separates words.
  s = s.replace(/\b([a-z])\.(?=[a-z]\.)/g, "$1").replace(/['’]/g, "").replace(/[^a-z0-9]+/g, " ");
  const raw = s.split(" ").filter((w) => w !== "");
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const contextual = CONTEXTUAL.get(w);
    const expansion = contextual
      ? (contextual[0].has(raw[i + 1] ?? "") ? contextual[1] : contextual[2])
      : ABBREVIATIONS.get(w);
    if (expansion !== undefined) out.push(...expansion.split(" "));
    else out.push(w);
  }
  return out;
}

/** The index terms of a title: normalised, stemmed, deduplicated, in order of first appearance. */
export function normaliseTitle(text: string): string[] {
  const terms: string[] = [];
  for (const w of titleWords(text)) {
    // Numbers, "1st", "l2": levels and counts, not the job.
    if (NOISE.has(w) || STOPWORDS.has(w) || /^(?:[a-z]?\d+|\d+(?:st|nd|rd|th))$/.test(w)) continue;
    const t = stem(w);
    if (!terms.includes(t)) terms.push(t);
  }
  return terms;
}

/** One string per distinct normalised title: the unit the index stores and the evaluation splits on. */
export function titleKey(text: string): string {
  return normaliseTitle(text).join(" ");
}
