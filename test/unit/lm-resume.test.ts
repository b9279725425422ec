// An interrupted training run continues where it stopped (scripts/lm/resume.py): both training scripts,
// killed for real after an epoch and started again with the same command, end with the checkpoint and the
// summary of a run that was never stopped (bit for bit on the CPU); a state saved by another command is
// ignored; a finished run leaves no state behind.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const work = mkdtempSync(path.join(tmpdir(), "lm-resume-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh folder holding the same input files, so that the same command line runs in each. */
function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

const run = (cwd: string, args: string[]) => execFileSync(pythonExecutable(), args, { encoding: "utf8", cwd });
const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!);

/** Starts the command and kills it (SIGKILL) as soon as its first saved state appears. */
function killAfterFirstEpoch(cwd: string, args: string[], state: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(pythonExecutable(), args, { cwd, stdio: "ignore" });
    const poll = setInterval(() => {
      if (existsSync(path.join(cwd, state))) child.kill("SIGKILL");
    }, 2);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`the run ended (code ${code}) before it could be interrupted`));
    });
  });
}

/** Whether two checkpoints hold the same tensors, bit for bit. */
function sameWeights(a: string, b: string): boolean {
  return run(work, ["-c", `
import torch
a, b = torch.load(${JSON.stringify(a)})["model"], torch.load(${JSON.stringify(b)})["model"]
print(a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a))`]).trim() === "True";
}

async function expectResumesExactly(script: string, files: Record<string, string>, args: string[]) {
  const command = [repoPath("scripts", "lm", script), ...args, "--out", "model.pt", "--device", "cpu"];
  const straight = folder(`${script}-straight`, files);
  const whole = summaryOf(run(straight, command));
  expect(existsSync(path.join(straight, "model.pt.resume.pt"))).toBe(false);

  const stopped = folder(`${script}-stopped`, files);
  await killAfterFirstEpoch(stopped, command, "model.pt.resume.pt");
  // Started again with the input files named by absolute paths (as a GPU machine's copy of the build names
  // them otherwise): their names and contents are what counts.
  const stdout = run(stopped, command.map((a) => (a in files ? path.join(stopped, a) : a)));
  expect(stdout).toMatch(/resumed from model\.pt\.resume\.pt after epoch \d+/);
  const resumed = summaryOf(stdout);
  expect(existsSync(path.join(stopped, "model.pt.resume.pt"))).toBe(false);

  const { seconds: _a, ...wholeRest } = whole;
  const { seconds: _b, ...resumedRest } = resumed;
  expect(resumedRest).toEqual(wholeRest); // steps, tokens, every epoch's validation measure, the epoch kept
  expect(sameWeights(path.join(straight, "model.pt"), path.join(stopped, "model.pt"))).toBe(true);
}

describe("resuming an interrupted training run", () => {
  const words = ["Sales", "Clerical", "Manager", "Nurse", "Teacher", "Driver", "1980:", "1982:"];
  const docs = Array.from({ length: 24 }, (_, i) => Array.from({ length: 20 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" "));
  const lmFiles = { "docs.txt": docs.join("\n\n") + "\n" };
  const lmArgs = [
    "--tokenizer", repoPath("model", "nlswork", "tokenizer.json"), "--train", "docs.txt", "--valid", "docs.txt",
    "--d-model", "16", "--n-layer", "1", "--n-head", "1", "--max-len", "64", "--epochs", "40", "--batch-tokens", "256",
  ];

  it("train_lm.py (the large model) ends as if it had never stopped", async () => {
    await expectResumesExactly("train_lm.py", lmFiles, lmArgs);
  });

  it("train_career.py (the edge model, dropout on) ends as if it had never stopped", async () => {
    const career = (i: number) => {
      const n = 3 + (i % 6);
      const states = Array.from({ length: n }, (_, t) => (i + Math.floor(t / 2)) % 5);
      const years = Array.from({ length: n }, (_, t) => 1980 + t);
      return JSON.stringify({ id: `p${i}`, states, years, education: years.map(() => i % 3), next_years: years.map((y) => y + 1), person: [i % 2, i % 3, i % 4, 1960 + (i % 5)] });
    };
    const records = Array.from({ length: 60 }, (_, i) => career(i)).join("\n") + "\n";
    const files = { "train.jsonl": records, "valid.jsonl": records, "vocab.json": JSON.stringify({ labels: 5, education: 3, sex: 2, race: 3, region: 4 }) };
    await expectResumesExactly("train_career.py", files, [
      "--train", "train.jsonl", "--valid", "valid.jsonl", "--vocab", "vocab.json", "--epochs", "40", "--patience", "40",
      "--batch", "16", "--d-model", "16", "--n-layer", "1", "--n-head", "1", "--dropout", "0.1",
    ]);
  });

  it("a state saved by another command is ignored: the run starts afresh and says so", () => {
    const dir = folder("stale", lmFiles);
    const command = [repoPath("scripts", "lm", "train_lm.py"), ...lmArgs.map((a) => (a === "40" ? "2" : a)), "--out", "model.pt", "--device", "cpu"];
    // A state from a run with another learning rate, where this command would look for its own.
    run(dir, ["-c", `import torch; torch.save({"key": "another command", "loop": {"epoch": 1}}, "model.pt.resume.pt")`]);
    const stdout = run(dir, command);
    expect(stdout).toContain("saved by another command");
    expect(stdout).not.toContain("resumed from");
    expect(summaryOf(stdout).epochs_run).toBe(2);
    expect(existsSync(path.join(dir, "model.pt.resume.pt"))).toBe(false);
  });
});
