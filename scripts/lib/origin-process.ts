// The large-model origin (`node origin/main.ts`) as a child process: started on a free port (or the one
// given), ready once /health answers, stopped with its whole process group. Used by the end-to-end tests,
// the edge's fault tests and the benchmarks.
import { repoPath } from "./paths.ts";
import { freePort, spawnServer, startServer, type ServerProcess } from "./server-process.ts";

export type OriginProcess = ServerProcess;

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

/** Starts the origin and waits for /health; with no port given, a second try on a fresh port covers a port taken meanwhile. */
export function startOrigin(options: OriginOptions = {}): Promise<OriginProcess> {
  return startServer(
    "the origin",
    async () => {
      const port = options.port ?? (await freePort());
      return spawnServer(port, [repoPath("origin", "main.ts"), "--port", String(port), ...(options.args ?? [])], options.env ?? {});
    },
    options.timeoutMs ?? 60_000,
    options.port === undefined,
  );
}
