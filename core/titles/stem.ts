// A light English stemmer for job-title words: plurals and the -men of old titles only. Heavier stemmers
// (Porter) also merge "operator" with "operations" and "general" with "generator", which in titles are
// different jobs; docs/titles.md has the comparison.
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("women")) return word.slice(0, -5) + "woman";
  if (word.endsWith("men") && word.length > 4) return word.slice(0, -3) + "man";
  if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y";
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (/(?:x|ch|sh|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
