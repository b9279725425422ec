// The large model scores the labels in a few batches of similar continuation length (a batch is padded to its
// longest): core/large-model.ts at run time, scripts/lm/score.py at build time, the same grouping in both.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BATCH_CALL_COST, candidateBatches } from "../../core/large-model.ts";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const PAD = 0;
/** Continuations of the given lengths (token ids that say which label and which place). */
const continuations = (lengths: number[]) => lengths.map((n, k) => Array.from({ length: n }, (_, j) => 1000 * (k + 1) + j));
const padded = (batches: ReturnType<typeof candidateBatches>) => batches.reduce((s, b) => s + b.labels.length * b.width, 0);

function pythonGroups(lengths: number[], callCost: number): number[][] {
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from score import length_groups
print(json.dumps(length_groups(${JSON.stringify(lengths)}, ${callCost})))`;
  return JSON.parse(execFileSync(pythonExecutable(), ["-c", script], { encoding: "utf8" }));
}

// nlsy79-like: mostly short titles, a long tail.
const LENGTHS = [2, 9, 3, 22, 4, 6, 6, 2, 13, 5, 8, 3, 7, 4, 17, 6, 2, 5, 11, 4];

describe("candidate batches", () => {
  it("hold every label once, each batch padded to its own longest, the ids in place and the padding masked", () => {
    const encoded = continuations(LENGTHS);
    const batches = candidateBatches(encoded, PAD, 8);
    expect(batches.flatMap((b) => b.labels).sort((a, b) => a - b)).toEqual(LENGTHS.map((_, k) => k));
    for (const b of batches) {
      expect(b.width).toBe(Math.max(...b.labels.map((k) => LENGTHS[k]!)));
      b.labels.forEach((k, r) => {
        const row = Array.from(b.ids.slice(r * b.width, (r + 1) * b.width), Number);
        expect(row).toEqual([...encoded[k]!, ...Array(b.width - LENGTHS[k]!).fill(PAD)]);
        expect(Array.from(b.mask.slice(r * b.width, (r + 1) * b.width))).toEqual(row.map((_, j) => (j < LENGTHS[k]! ? 1 : 0)));
      });
    }
  });

  it("trade padding against calls: one batch when a call costs everything, one per length when it costs nothing", () => {
    const encoded = continuations(LENGTHS);
    expect(candidateBatches(encoded, PAD, Infinity)).toHaveLength(1);
    expect(candidateBatches(encoded, PAD, 0)).toHaveLength(new Set(LENGTHS).size);
    const chosen = candidateBatches(encoded, PAD);
    expect(chosen.length).toBeGreaterThan(1);
    // The default pays fewer padded tokens and calls, counted at BATCH_CALL_COST, than one batch of all.
    const cost = (bs: ReturnType<typeof candidateBatches>) => padded(bs) + (bs.length - 1) * BATCH_CALL_COST;
    expect(cost(chosen)).toBeLessThanOrEqual(cost(candidateBatches(encoded, PAD, Infinity)));
    expect(padded(chosen)).toBeLessThan(padded(candidateBatches(encoded, PAD, Infinity)));
  });

  it("score.py groups the labels as the run time does", () => {
    for (const cost of [0, 8, BATCH_CALL_COST])
      expect(pythonGroups(LENGTHS, cost)).toEqual(candidateBatches(continuations(LENGTHS), PAD, cost).map((b) => b.labels));
  });
});
