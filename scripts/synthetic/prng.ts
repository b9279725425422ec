// A seeded pseudo-random generator for the synthetic world: sfc32 (Chris Doty-Humphrey's Small Fast
// Counting generator, 128-bit state), its state filled from the seed by splitmix32. Never Math.random.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform numbers in [0, 1) from a 32-bit integer seed; the same seed gives the same sequence. */
export function createRng(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** An integer uniform on [lo, hi]. */
export function uniformInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** An index drawn with probability weights[i] / sum(weights). */
export function sampleIndex(rng: () => number, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let u = rng() * total;
  let lastPositive = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    lastPositive = i;
    if (u < w) return i;
    u -= w;
  }
  if (lastPositive < 0) throw new Error("cannot sample from all-zero weights");
  return lastPositive; // rounding left u a hair above the last weight
}
