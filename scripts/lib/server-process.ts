// A local server as a child process in its own process group: started with its output captured, ready once
// /health answers, stopped with its whole group (wrangler runs workerd as children; the origin runs model
// threads). Shared by wrangler-dev.ts and origin-process.ts, used by the end-to-end tests and benchmarks.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { createServer } from "node:net";
import { repoPath } from "./paths.ts";

export interface ServerProcess {
  /** http://127.0.0.1:PORT */
  base: string;
  child: ChildProcess;
  /** Everything the server printed so far (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
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
  killGroup(child.pid, "SIGKILL"); // anything left behind in the group
}

/** Spawns `process.execPath args` (the project's Node 24 under npm scripts and vitest) in its own group. */
export function spawnServer(port: number, args: string[], env: Record<string, string>): ServerProcess {
  let output = "";
  const child = spawn(process.execPath, args, { cwd: repoPath(), detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  return { base: `http://127.0.0.1:${port}`, child, output: () => output, stop: () => stopGroup(child) };
}

export async function waitUntilReady(server: ServerProcess, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${name} exited with ${server.child.exitCode}:\n${server.output()}`);
    try {
      const res = await fetch(`${server.base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${server.output()}`);
}

/** Starts a server and waits for /health; a second try on fresh ports covers a port taken meanwhile (only
 *  when the caller did not fix the port). */
export async function startServer<S extends ServerProcess>(name: string, start: () => Promise<S>, timeoutMs: number, retry: boolean): Promise<S> {
  for (let attempt = 1; ; attempt++) {
    const server = await start();
    try {
      await waitUntilReady(server, name, timeoutMs);
      return server;
    } catch (error) {
      await server.stop();
      if (attempt === 2 || !retry) throw error;
    }
  }
}

/** Resident memory (MiB) of the processes named `comm` in the server's process group, from /proc (Linux). */
export function groupRssMiB(server: ServerProcess, comm: string): number {
  let kib = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== server.child.pid || !stat.includes(`(${comm})`)) continue; // fields[2]: process group
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
    } catch {
      // the process ended meanwhile
    }
  }
  return kib / 1024;
}
