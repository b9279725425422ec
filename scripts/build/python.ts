// Runs one of the Python training scripts (scripts/lm/*.py), showing its "step N/M" lines as a progress bar
// and keeping its full output in a log file. Returns the last line of stdout (the scripts end with a JSON
// summary).
import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { SingleBar, Presets } from "cli-progress";
import { repoPath } from "../lib/paths.ts";

/** Debian's python3 has torch here; PYTHON overrides (for a virtualenv with pip-installed packages). */
export function pythonExecutable(): string {
  if (process.env.PYTHON) return process.env.PYTHON;
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

const STEP = /step (\d+)\/(\d+)/;

export function runPython(script: string, args: readonly string[], label: string, logFile: string): Promise<string> {
  const log = createWriteStream(logFile);
  const bar = new SingleBar(
    { format: `${label.padEnd(28)} {bar} {value}/{total} {status}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  let started = false, lastLine = "", buffer = "";
  return new Promise((resolve, reject) => {
    const child = spawn(pythonExecutable(), [repoPath("scripts", "lm", script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const onLine = (line: string) => {
      log.write(line + "\n");
      if (line.trim()) lastLine = line;
      const m = STEP.exec(line);
      if (!m) return;
      const [value, total] = [Number(m[1]), Number(m[2])];
      const status = line.slice(line.indexOf(":") + 1).trim().slice(0, 48);
      if (!started) bar.start(total, value, { status }), (started = true);
      else bar.update(value, { status });
    };
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      lines.forEach(onLine);
    });
    child.stderr.on("data", (chunk: Buffer) => log.write(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (buffer) onLine(buffer);
      if (started) bar.stop();
      log.end();
      if (code === 0) resolve(lastLine);
      else reject(new Error(`${script} ${args.join(" ")} exited with ${code}; see ${logFile}`));
    });
  });
}
