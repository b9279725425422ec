// npm run bench [-- --json]: every benchmark in one run, one after the other on the same machine: the
// small model in onnxruntime-web vs onnxruntime-node (scripts/bench/small-model.ts), the Worker in
// workerd (scripts/bench/worker.ts), then the origin's large model (scripts/bench/origin.ts). Arguments go to each.
import { spawnSync } from "node:child_process";
import { repoPath } from "../lib/paths.ts";

for (const script of ["small-model.ts", "worker.ts", "origin.ts"]) {
  const run = spawnSync(process.execPath, [repoPath("scripts", "bench", script), ...process.argv.slice(2)], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
