// The large model's calibration: core/calibration.ts (what the origin and the evaluation apply to its
// answers) computes the formula the edge model's ONNX graph bakes in (scripts/lm/career_model.py
// calibrated_log_probs), and scripts/lm/calibrate_large.py fits it on validation distributions in
// score.py's format, lowering their NLL, and refuses a score file that does not match the records.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { calibrateStayMove, stayLabel } from "../../core/calibration.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const work = mkdtempSync(path.join(tmpdir(), "large-calibration-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const script = repoPath("scripts", "lm", "calibrate_large.py");

describe("calibrateStayMove", () => {
  const probs = [0.5, 0.3, 0.15, 0.05];
  const c = { temperature: 1.2, stay_scale: 0.7, stay_shift: 0.4, move_temperature: 1.3 };

  // Knots on both sides of every stay label's log-odds (-3.9 to 0), so that each piece of the map is used.
  const knotted = { ...c, stay_knots: [-2.5, -1.5, -0.5], stay_slopes: [1.4, 0.3, 0.9] };

  for (const [name, calibration] of [["Platt scaling", c], ["a piecewise-linear map", knotted]] as const)
    it(`gives what calibrated_log_probs gives in PyTorch, for every stay label (${name})`, () => {
      const python = `import json, sys, torch
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from career_model import Calibration
c = Calibration(**json.loads(${JSON.stringify(JSON.stringify(calibration))}))
logits = torch.tensor([${probs.join(", ")}], dtype=torch.float64).log().repeat(4, 1)
print(json.dumps(c.log_probs(logits, torch.arange(4)).exp().tolist()))`;
      const expected: number[][] = JSON.parse(execFileSync(pythonExecutable(), ["-c", python], { encoding: "utf8" }));
      expected.forEach((row, stay) => {
        const got = calibrateStayMove(probs, stay, calibration);
        row.forEach((p, i) => expect(got[i]).toBeCloseTo(p, 10));
        expect(got.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      });
    });

  it("a piecewise map's slopes apply each on its own piece", () => {
    // One knot at log-odds 0 (P(stay) = 0.5 after the temperature 1): slope 1 below, 2 above, no shift.
    const oneKnot = { temperature: 1, stay_scale: 1, stay_shift: 0, move_temperature: 1, stay_knots: [0], stay_slopes: [2] };
    const stay = (p: number) => calibrateStayMove([p, 1 - p], 0, oneKnot)[0]!;
    expect(stay(0.2)).toBeCloseTo(0.2, 12); // below the knot: the identity
    const odds = Math.log(0.8 / 0.2) * 2;
    expect(stay(0.8)).toBeCloseTo(1 / (1 + Math.exp(-odds)), 12); // above: twice the log-odds
  });

  it("the identity changes nothing; a label of probability 0 stays finite", () => {
    const identity = { temperature: 1, stay_scale: 1, stay_shift: 0, move_temperature: 1 };
    calibrateStayMove(probs, 2, identity).forEach((p, i) => expect(p).toBeCloseTo(probs[i]!, 12));
    const withZero = calibrateStayMove([0.6, 0.4, 0], 0, c);
    expect(withZero.every(Number.isFinite)).toBe(true);
    expect(withZero[2]).toBeLessThan(1e-12);
  });

  it("staying means the last observed state", () => {
    const labels = LabelSet.of("nlswork");
    const ctx = { person: {}, history: [{ year: 1980, occupation: "3" }, { year: 1982, occupation: "4" }], nextYear: 1984 };
    expect(stayLabel(ctx, labels)).toBe(labels.index("4"));
  });
});

describe("scripts/lm/calibrate_large.py", () => {
  // Three labels; people stay 70% of the time, but the "model" says 95%: the fit must lower P(stay).
  const records: { labels: number[] }[] = [];
  const rows: { probs: number[] | null; outside_mass: number | null }[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (let person = 0; person < 200; person++) {
    const labels = [person % 3];
    for (let t = 1; t < 6; t++) {
      const last = labels[t - 1]!;
      labels.push(random() < 0.7 ? last : (last + 1 + Math.floor(random() * 2)) % 3);
      rows.push(t === 5 && person % 50 === 0 ? { probs: null, outside_mass: null } : { probs: [0, 1, 2].map((k) => (k === last ? 0.95 : 0.025)), outside_mass: 0.01 });
    }
    records.push({ labels });
  }
  const write = (name: string, lines: unknown[]) => writeFileSync(path.join(work, name), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  write("validation.jsonl", records.map((r, i) => ({ id: `${i}`, text: "", labels: r.labels })));
  const run = (scores: string, extra: string[] = []) =>
    spawnSync(pythonExecutable(), [script, "--scores", scores, "--records", "validation.jsonl", "--out", "calibration.json", ...extra], { cwd: work, encoding: "utf8" });

  it("fits the calibration (each step no worse) on the scored lines, the lines past the context left out", () => {
    write("scores.jsonl", rows);
    const r = run("scores.jsonl");
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(summary.valid_questions).toBe(rows.length - 4);
    expect(summary.valid_nll.temperature).toBeLessThanOrEqual(summary.valid_nll.raw);
    expect(summary.valid_nll["stay/move"]).toBeLessThan(summary.valid_nll.raw - 0.1);
    const c = JSON.parse(readFileSync(path.join(work, "calibration.json"), "utf8"));
    expect(c).toEqual(summary.calibration);
    // The fitted P(stay) is near the 70% the people show.
    expect(calibrateStayMove([0.95, 0.025, 0.025], 0, c)[0]).toBeCloseTo(0.7, 1);
  });

  it("with --stay-knots also fits the piecewise map, a candidate only where it lowers the NLL on held-out questions", () => {
    const r = run("scores.jsonl", ["--stay-knots", "2"]);
    expect(r.status, r.stderr).toBe(0);
    const { valid_nll: nll, calibration } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(Object.keys(nll)).toEqual(["raw", "temperature", "stay/move", "stay/move, 2 knots", "stay/move, held out", "stay/move, 2 knots, held out"]);
    const candidates = ["raw", "temperature", "stay/move", ...(nll["stay/move, 2 knots, held out"] < nll["stay/move, held out"] ? ["stay/move, 2 knots"] : [])];
    const chosen = candidates.reduce((a, b) => (nll[b] < nll[a] ? b : a));
    expect(chosen).toMatch(/^stay\/move/);
    expect(calibration.stay_knots ? "stay/move, 2 knots" : "stay/move").toBe(chosen);
    if (calibration.stay_knots) {
      expect(calibration.stay_knots).toHaveLength(2);
      expect([calibration.stay_scale, ...calibration.stay_slopes].every((s: number) => s > 0)).toBe(true);
    }
  });

  it("refuses a score file with fewer or more lines than the records' year lines; --max-examples N needs the first N", () => {
    write("short.jsonl", rows.slice(1));
    expect(run("short.jsonl").stderr).toMatch(/999 lines, fewer than the 1000 year lines/);
    write("long.jsonl", [...rows, rows[0]]);
    expect(run("long.jsonl").stderr).toMatch(/1001 lines for 1000 year lines/);
    // score.py --max-examples 300 finishes the resume it stops in: 300 lines or a few more are accepted.
    expect(run("short.jsonl", ["--max-examples", "300"]).status).toBe(0);
    write("first.jsonl", rows.slice(0, 303));
    const first = run("first.jsonl", ["--max-examples", "300"]);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout.trim().split("\n").at(-1)!).valid_questions).toBe(301); // 303 lines, 2 past the context
    write("too-few.jsonl", rows.slice(0, 299));
    expect(run("too-few.jsonl", ["--max-examples", "300"]).stderr).toMatch(/299 lines, fewer than the 300 year lines/);
  });
});
