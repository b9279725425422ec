// A real `wrangler dev` (workerd on loopback) as a child process: started on free ports, ready once /health
// answers, stopped with its whole process group (wrangler runs workerd as children). Used by the end-to-end
// tests and the benchmarks.
import { devVarArgs } from "../dev.ts";
import { repoPath } from "./paths.ts";
import { freePort, spawnServer, startServer, type ServerProcess } from "./server-process.ts";

export { freePort } from "./server-process.ts";
export interface WranglerDev extends ServerProcess {
  /** The Worker's V8 inspector (Chrome DevTools Protocol): http://127.0.0.1:PORT */
  inspector: string;
}

const WRANGLER = repoPath("node_modules", "wrangler", "bin", "wrangler.js");

/** Starts wrangler dev as `npm run dev` does (its development origin settings, unless `args` sets them) and
 *  waits for /health. */
export function startWranglerDev(options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<WranglerDev> {
  return startServer(
    "wrangler dev",
    async () => {
      const [port, inspectorPort] = [await freePort(), await freePort()];
      const args = [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false", ...(options.args ?? []), ...devVarArgs(options.args)];
      const server = spawnServer(port, args, { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", ...options.env });
      return { ...server, inspector: `http://127.0.0.1:${inspectorPort}` };
    },
    options.timeoutMs ?? 60_000,
    true,
  );
}
