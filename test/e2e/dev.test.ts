// End to end: the real `wrangler dev` (workerd on loopback, the shipped model bundled as in production),
// one POST with a three-year history, then the process group is stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PredictResponseSchema } from "../../core/contract.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

let dev: ChildProcess | undefined;
let base = "";
let output = "";

async function waitUntilReady(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev?.exitCode !== null) throw new Error(`wrangler dev exited with ${dev?.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev was not ready within ${timeoutMs} ms:\n${output}`);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  // wrangler runs workerd as children: signal the whole process group this test created (-pid).
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    killGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(child.pid!, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child.pid, "SIGKILL"); // any workerd left behind in the group
}

function start(port: number, inspectorPort: number): ChildProcess {
  output = "";
  const child = spawn(
    process.execPath,
    [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" } },
  );
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  return child;
}

beforeAll(async () => {
  // A second try with fresh ports covers the small chance that another process took a probed port.
  for (let attempt = 1; ; attempt++) {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    dev = start(port, inspectorPort);
    try {
      await waitUntilReady(60_000);
      return;
    } catch (error) {
      await stop(dev);
      if (attempt === 2) throw error;
    }
  }
});

afterAll(async () => {
  if (dev) await stop(dev);
});

describe("npm run dev (wrangler dev on loopback)", () => {
  it("serves health and a prediction over the shipped default model", async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");

    const res = await fetch(`${base}/v1/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        history: [
          { year: 1978, occupation: "3" },
          { year: 1980, occupation: "4" },
          { year: 1982, occupation: "4" },
        ],
        full_distribution: true,
      }),
    });
    expect(res.status).toBe(200);
    const body = PredictResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ model: "nlswork", served_by: "edge", next_year: 1984 });
    const total = Object.values(body.distribution!).reduce((s, p) => s + p, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(Object.keys(body.distribution!)).toHaveLength(13);
  });

  it("refuses bad input over real HTTP with problem+json", async () => {
    const res = await fetch(`${base}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
