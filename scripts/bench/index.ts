// npm run bench [-- --json]: every benchmark in one run, one after the other on the same machine: the
// small model in onnxruntime-web vs onnxruntime-node (small-model.ts), the Worker in workerd: warm, cold
// and memory (worker.ts), HTTP at concurrency 1/16/64 against /health (http.ts), the origin's large model
// (origin.ts), and the bundle (`npm run deploy -- --dry-run`). Saves docs/bench/bench.json and renders
// BENCHMARKS.md with its chart (report.ts); prints the Markdown, or the JSON with --json.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { bundleSize } from "../deploy.ts";
import { repoPath } from "../lib/paths.ts";
import { BENCH_FILE, machine, saveAndReport, targetsMarkdown, type BenchResults } from "./report.ts";

const json = process.argv.includes("--json");

function part<T>(script: string): T {
  console.error(`bench: ${script}`);
  const run = spawnSync(process.execPath, [repoPath("scripts", "bench", script), "--json"], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) {
    console.error(run.stdout);
    process.exit(run.status ?? 1);
  }
  return JSON.parse(run.stdout) as T;
}

function bundle(): BenchResults["bundle"] {
  console.error("bench: bundle (npm run deploy -- --dry-run)");
  const outdir = repoPath("build", "bench-bundle");
  rmSync(outdir, { recursive: true, force: true });
  const run = spawnSync(process.execPath, [repoPath("scripts", "deploy.ts"), "--dry-run", "--outdir", outdir], { stdio: ["ignore", "ignore", "inherit"] });
  if (run.status !== 0) process.exit(run.status ?? 1);
  return bundleSize(outdir);
}

const results: BenchResults = {
  machine: machine(),
  small_model: part("small-model.ts"),
  worker: part("worker.ts"),
  http: part("http.ts"),
  origin: part("origin.ts"),
  bundle: bundle(),
};
saveAndReport(BENCH_FILE, results);
console.log(json ? JSON.stringify(results, null, 1) : `${targetsMarkdown(results)}\n\nEverything: BENCHMARKS.md (chart: docs/bench/chart.svg)`);
