// Training on another machine, at smoke size on this one's CPU: `npm run build:model -- --prepare-only` runs
// the Node-side stages and writes BUILD/gpu-plan.sh; scripts/gpu/train.sh (bash and python3 only) runs the
// plan into OUT (stopped part way, it brings back what it has, and a second run goes on from there); the
// results copied back into BUILD, the ordinary build finds every training and scoring
// stage up to date (the large models' test scores among them) and only exports, evaluates and writes the
// artifact, whose manifest says where the language models trained.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { pythonExecutable } from "../../scripts/build/python.ts";

const repo = new URL("../..", import.meta.url).pathname;
const work = mkdtempSync(path.join(tmpdir(), "gpu-plan-"));
const [buildDir, outDir, modelDir] = ["build", "out", "model"].map((d) => path.join(work, d)) as [string, string, string];
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8", env: { ...process.env, PYTHON: pythonExecutable(), ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-3000)}`);
  return r.stdout + r.stderr;
}
/** Runs the command with TMPDIR inside the test's folder and sends it a SIGTERM once `saved` (a path inside
 *  train.sh's copy of the build folder) exists. */
function stopOnceSaved([cmd, ...args]: string[], saved: string): Promise<{ status: number | null; output: string }> {
  const tmp = path.join(work, "tmp");
  mkdirSync(tmp, { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(cmd!, args, { cwd: repo, env: { ...process.env, PYTHON: pythonExecutable(), TMPDIR: tmp } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const poll = setInterval(() => {
      if (readdirSync(tmp).some((copy) => existsSync(path.join(tmp, copy, saved)))) child.kill("SIGTERM"), clearInterval(poll);
    }, 20);
    child.on("close", (status) => (clearInterval(poll), resolve({ status, output })));
  });
}
const buildModel = (...extra: string[]) =>
  run("npm", ["run", "build:model", "--", "--dataset", "nlswork", "--smoke", "--build-dir", buildDir, "--out", modelDir, ...extra]);

describe("npm run build:model -- --prepare-only, then scripts/gpu/train.sh", () => {
  it("trains elsewhere (here: --device cpu), stopped and resumed, and the build takes the copied-back stages as done", async () => {
    const prepared = buildModel("--prepare-only");
    expect(prepared).toMatch(/wrote .*gpu-plan\.sh: 10 training and scoring stages/);
    expect(existsSync(path.join(buildDir, "foundation", "foundation.pt"))).toBe(false);

    // The GPU machine's time runs out in the small model's training (here: a SIGTERM once its first epoch's
    // state is saved; the smoke config's five more epochs outlast the signal): the stages done and the stopped
    // one's state come back ...
    const stopped = await stopOnceSaved(["bash", path.join(repo, "scripts", "gpu", "train.sh"), buildDir, outDir, "--device", "cpu"], "nlswork/small.pt.resume.pt");
    expect(stopped.status, stopped.output.slice(-2000)).toBe(75);
    expect(stopped.output).toContain("stopped before the plan finished");
    expect(existsSync(path.join(buildDir, "foundation", "foundation.pt")), "train.sh works in a copy").toBe(false);
    run("tar", ["xzf", path.join(outDir, "gpu-results.tar.gz"), "-C", buildDir]);
    expect(existsSync(path.join(buildDir, "nlswork", "small.pt.resume.pt"))).toBe(true);
    expect(existsSync(path.join(buildDir, "nlswork-small.stage.json"))).toBe(false);

    // ... and the next run (another copy of the folder) goes on from that epoch, every stage before done.
    const trained = run("bash", [path.join(repo, "scripts", "gpu", "train.sh"), buildDir, outDir, "--device", "cpu"]);
    expect(trained).toContain("nlswork-large: up to date");
    expect(trained).toMatch(/resumed from \S*small\.pt\.resume\.pt after epoch [1-5] /);
    expect(trained).toMatch(/nlswork-small: done in/);
    const files = readdirSync(outDir);
    expect(files.sort()).toEqual(["gpu-results.tar.gz", "train.log"]);
    for (const f of files) expect(statSync(path.join(outDir, f)).size).toBeLessThanOrEqual(16 * 1024 * 1024);

    run("tar", ["xzf", path.join(outDir, "gpu-results.tar.gz"), "-C", buildDir]);
    const built = buildModel();
    for (const stage of ["foundation", "nlswork-large", "nlswork-large-scratch", "nlswork-large-codes",
      "nlswork-scores-large-test.jsonl", "nlswork-scores-large-validation.jsonl", "nlswork-scores-large-scratch-test.jsonl", "nlswork-scores-large-codes-test.jsonl",
      "nlswork-small"])
      expect(built, stage).toContain(`${stage}: up to date`);
    // The large model is calibrated and evaluated from the GPU's scores, not its ONNX file's.
    expect(built).toMatch(/nlswork-calibrate-large: done in/);
    expect(built).not.toMatch(/distributions of \d+ \w+ questions through its ONNX file/);
    expect(built).toContain("nlswork-teacher-train.jsonl: not needed");
    expect(built).toMatch(/nlswork-export-small: done in/);
    expect(existsSync(path.join(buildDir, "nlswork", "small.pt.resume.pt")), "the state copied back earlier is gone").toBe(false);

    const manifest: ModelManifest = JSON.parse(readFileSync(path.join(modelDir, "manifest.json"), "utf8"));
    for (const lm of [manifest.language_models!.small, manifest.language_models!.large]) {
      expect(lm.training).toMatchObject({ device: "cpu", seconds: expect.any(Number) });
      expect(lm.training!.steps).toBeGreaterThan(0);
      expect(lm.training!.tokens).toBeGreaterThan(0);
    }
  }, 600_000);

  it("when the results are too big, leaves out score files, the largest first, and the build still takes the small model as trained", () => {
    // The plan is done (the first test): train.sh only packs. Seven parts hold all but a few bytes of what
    // came back the first time: the largest score file (the teacher's) has to stay behind, nothing else.
    const teacher = path.join(buildDir, "nlswork", "teacher-train.jsonl");
    const part = Math.floor(statSync(path.join(outDir, "gpu-results.tar.gz")).size / 7) - 1;
    rmSync(outDir, { recursive: true, force: true });
    const packed = run("bash", [path.join(repo, "scripts", "gpu", "train.sh"), buildDir, outDir, "--device", "cpu"], { GPU_RESULTS_PART_BYTES: String(part) });
    expect(packed.match(/leaves out \S+/g)).toEqual(["leaves out nlswork/teacher-train.jsonl"]);
    const parts = readdirSync(outDir).filter((f) => f.startsWith("gpu-results.tar.gz")).sort();
    expect(parts.length).toBeLessThanOrEqual(7);
    for (const f of parts) expect(statSync(path.join(outDir, f)).size).toBeLessThanOrEqual(part);

    // A fresh build directory with only what came back (plus the Node-side stages, redone by the build).
    rmSync(buildDir, { recursive: true, force: true });
    const tarball = path.join(work, "results.tar.gz");
    writeFileSync(tarball, Buffer.concat(parts.map((f) => readFileSync(path.join(outDir, f)))));
    mkdirSync(buildDir, { recursive: true });
    run("tar", ["xzf", tarball, "-C", buildDir]);
    expect(existsSync(teacher)).toBe(false);
    expect(existsSync(path.join(buildDir, "nlswork-teacher-train.jsonl.stage.json")), "its marker came back").toBe(true);
    const built = buildModel();
    expect(built).toContain("nlswork-small: up to date");
    expect(built).not.toMatch(/nlswork-teacher-train\.jsonl: done/);
    expect(existsSync(teacher), "the teacher is not scored again").toBe(false);
  }, 600_000);
});

describe("scripts/gpu/train.sh --time-limit", () => {
  /** A build folder whose plan is one shell command (the plan's contents are train.sh's business only). */
  function planOf(command: string): string {
    const dir = mkdtempSync(path.join(work, "plan-"));
    writeFileSync(path.join(dir, "gpu-plan.sh"), `${command}\n`);
    return dir;
  }
  const trainSh = (build: string, ...extra: string[]) =>
    spawnSync("bash", [path.join(repo, "scripts", "gpu", "train.sh"), build, path.join(build, "out"), "--device", "cpu", ...extra], {
      cwd: repo, encoding: "utf8", env: { ...process.env, PYTHON: pythonExecutable() },
    });
  /** The processes whose command line is `words` (read from /proc: no procps needed). */
  const running = (...words: string[]) =>
    readdirSync("/proc").filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8") === words.join("\0") + "\0";
      } catch {
        return false; // ended while we looked
      }
    });

  it("stops a plan that outruns the limit, with every process it started, and exits 75", () => {
    const t0 = performance.now();
    const r = trainSh(planOf("sleep 987"), "--time-limit", "1");
    expect(r.status, r.stdout + r.stderr).toBe(75);
    expect(r.stdout).toContain("stopped before the plan finished");
    expect(performance.now() - t0, "the plan's 987 s sleep was stopped, not waited for").toBeLessThan(900_000);
    expect(running("sleep", "987"), "no stage of the plan is left running").toEqual([]);
  });

  it("leaves nothing behind when the plan ends first: the watchdog's own sleep goes too", () => {
    const r = trainSh(planOf("true"), "--time-limit", "977");
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain("stopped before");
    expect(running("sleep", "977"), "the watchdog's sleep").toEqual([]);
  });
});
