// npm run dev [-- wrangler dev flags]: the edge API on workerd at http://127.0.0.1:8787 with the shipped
// default model, and the development origin (`npm run origin`, on 127.0.0.1:8788, with its public development
// secret). Those two settings live here, for local runs only: wrangler.toml's [vars] name no origin, so a
// deployment never reaches a development URL or sends the public secret (`npm run deploy` refuses both).
import { spawnSync } from "node:child_process";
import { DEV_ORIGIN_SECRET } from "../core/origin-protocol.ts";
import { repoPath } from "./lib/paths.ts";

/** The local origin and its development secret: what `npm run dev` (and the tests' `wrangler dev`) add. */
export const DEV_VARS = { ORIGIN_URL: "http://127.0.0.1:8788", ORIGIN_SECRET: DEV_ORIGIN_SECRET } as const;

/** `wrangler dev` flags for the DEV_VARS that `given` (other wrangler dev arguments) does not set itself. Put
 *  them last: wrangler's --var takes several values, so a positional argument after it would be read as one. */
export function devVarArgs(given: readonly string[] = []): string[] {
  const set = new Set(given.filter((_, i) => given[i - 1] === "--var").map((v) => v.split(":")[0]));
  return Object.entries(DEV_VARS)
    .filter(([k]) => !set.has(k))
    .flatMap(([k, v]) => ["--var", `${k}:${v}`]);
}

if (import.meta.main) {
  const wrangler = repoPath("node_modules", "wrangler", "bin", "wrangler.js");
  const given = process.argv.slice(2);
  const run = spawnSync(process.execPath, [wrangler, "dev", ...given, ...devVarArgs(given)], { stdio: "inherit", cwd: repoPath() });
  process.exit(run.status ?? 1);
}
