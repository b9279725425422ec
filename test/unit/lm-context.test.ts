// Resumes longer than a model's context (NLSY79's 16 interviews with long occ1990dd titles pass 512 tokens):
// the teacher's scoring cuts them to the year lines whose prompt and every continuation fit, and says how many
// lines it cut, instead of stopping the build.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

function withinContext(ids: number, positions: number[], maxLen: number, continuationLen: number): { ids: number; positions: number[]; labels: number[]; past: number } {
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from data import Encoded
from score import within_context
enc, past = within_context(Encoded(list(range(${ids})), ${JSON.stringify(positions)}, list(range(${positions.length}))), ${maxLen}, ${continuationLen})
print(json.dumps({"ids": len(enc.ids), "positions": enc.positions, "labels": enc.labels, "past": past}))`;
  return JSON.parse(execFileSync(pythonExecutable(), ["-c", script], { encoding: "utf8" }));
}

describe("score.py within_context", () => {
  it("keeps a resume that fits as it is", () => {
    expect(withinContext(100, [10, 40, 70], 512, 8)).toEqual({ ids: 100, positions: [10, 40, 70], labels: [0, 1, 2], past: 0 });
  });

  it("cuts a longer one to the lines whose prompt and longest continuation fit, and counts the rest", () => {
    // 504 + 8 = 512 fits exactly; 505 + 8 does not.
    expect(withinContext(600, [100, 504, 505, 580], 512, 8)).toEqual({ ids: 512, positions: [100, 504], labels: [0, 1], past: 2 });
    expect(withinContext(600, [510, 590], 512, 8)).toEqual({ ids: 512, positions: [], labels: [], past: 2 });
  });
});
