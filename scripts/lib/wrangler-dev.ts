// A real `wrangler dev` (workerd on loopback) as a child process: started on free ports, ready once /health
// answers, stopped with its whole process group (wrangler runs workerd as children). Used by the end-to-end
// tests and the benchmarks.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { repoPath } from "./paths.ts";

const WRANGLER = repoPath("node_modules", "wrangler", "bin", "wrangler.js");

export interface WranglerDev {
  base: string;
  child: ChildProcess;
  /** Everything wrangler printed so far (for error messages). */
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
  killGroup(child.pid, "SIGKILL"); // any workerd left behind in the group
}

async function waitUntilReady(dev: WranglerDev, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev.child.exitCode !== null) throw new Error(`wrangler dev exited with ${dev.child.exitCode}:\n${dev.output()}`);
    try {
      const res = await fetch(`${dev.base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev was not ready within ${timeoutMs} ms:\n${dev.output()}`);
}

function start(port: number, inspectorPort: number, extraArgs: string[], env: Record<string, string>): WranglerDev {
  let output = "";
  const child = spawn(
    process.execPath,
    [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false", ...extraArgs],
    {
      cwd: repoPath(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", ...env },
    },
  );
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  return { base: `http://127.0.0.1:${port}`, child, output: () => output, stop: () => stopGroup(child) };
}

/** Starts wrangler dev and waits for /health; a second try with fresh ports covers a port taken meanwhile. */
export async function startWranglerDev(options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<WranglerDev> {
  for (let attempt = 1; ; attempt++) {
    const dev = start(await freePort(), await freePort(), options.args ?? [], options.env ?? {});
    try {
      await waitUntilReady(dev, options.timeoutMs ?? 60_000);
      return dev;
    } catch (error) {
      await dev.stop();
      if (attempt === 2) throw error;
    }
  }
}
