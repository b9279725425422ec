// The large-model origin (`node origin/main.ts`) as a child process: started on a free port (or the one
// given), ready once /health answers, stopped with its whole process group. Used by the end-to-end tests,
// the edge's fault tests and the benchmarks.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { repoPath } from "./paths.ts";
import { freePort } from "./wrangler-dev.ts";

export interface OriginProcess {
  /** http://127.0.0.1:PORT */
  base: string;
  child: ChildProcess;
  /** Everything the origin printed so far (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface OriginOptions {
  /** Default: a free port. */
  port?: number;
  /** Added to this process's environment (e.g. ORIGIN_SECRET, ORIGIN_CONCURRENCY, ORIGIN_MAX_QUEUE). */
  env?: Record<string, string>;
  /** Extra flags for origin/main.ts (e.g. ["--model", "model/nlswork"]). */
  args?: string[];
  /** How long to wait for /health (loading and warming up the model threads). */
  timeoutMs?: number;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    killGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(child.pid!, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child.pid, "SIGKILL");
}

async function waitUntilReady(origin: OriginProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (origin.child.exitCode !== null) throw new Error(`the origin exited with ${origin.child.exitCode}:\n${origin.output()}`);
    try {
      const res = await fetch(`${origin.base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the origin was not ready within ${timeoutMs} ms:\n${origin.output()}`);
}

function start(port: number, args: string[], env: Record<string, string>): OriginProcess {
  let output = "";
  // process.execPath: the project's Node 24 when run through npm scripts or vitest.
  const child = spawn(process.execPath, [repoPath("origin", "main.ts"), "--port", String(port), ...args], {
    cwd: repoPath(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  return { base: `http://127.0.0.1:${port}`, child, output: () => output, stop: () => stopGroup(child) };
}

/** Starts the origin and waits for /health; with no port given, a second try on a fresh port covers a port taken meanwhile. */
export async function startOrigin(options: OriginOptions = {}): Promise<OriginProcess> {
  for (let attempt = 1; ; attempt++) {
    const origin = start(options.port ?? (await freePort()), options.args ?? [], options.env ?? {});
    try {
      await waitUntilReady(origin, options.timeoutMs ?? 60_000);
      return origin;
    } catch (error) {
      await origin.stop();
      if (attempt === 2 || options.port !== undefined) throw error;
    }
  }
}
