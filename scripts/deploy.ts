// npm run deploy [-- --models NAME,...] [--dry-run] [other wrangler deploy flags]: deploys the Worker with
// wrangler (secrets: see the README), minified, after printing what the bundle weighs. --models picks the
// model folders the Worker bundles (`npm run edge-models`; default: those functions/models/shipped.js lists
// now). With --dry-run it only builds the bundle into dist/ (or --outdir) and prints every module's raw and
// gzip size; it fails when the gzip total is over Cloudflare's 10 MB compressed limit for a Worker (Workers
// Paid plan; the free plan's is 3 MB). Sizes are in wrangler's units (1 MB = 2^20 bytes), and the total is
// gzipped the way wrangler reports it (all modules together, default level).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { configuredDefaultModel, shippedModels, writeEdgeModels } from "./edge-models.ts";
import { repoPath } from "./lib/paths.ts";

export const GZIP_LIMIT_BYTES = 10 * 1024 * 1024;
/** Our own target for the default deployment (BENCHMARKS.md): a smaller bundle starts isolates faster. */
export const GZIP_TARGET_BYTES = 5 * 1024 * 1024;

export interface BundleSize {
  files: { name: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
}

/** Raw and gzip size of each module wrangler wrote (source maps are not uploaded), and of them all together. */
export function bundleSize(outdir: string): BundleSize {
  const contents = readdirSync(outdir)
    .filter((name) => !name.endsWith(".map") && name !== "README.md" && statSync(path.join(outdir, name)).isFile())
    .map((name) => ({ name, content: readFileSync(path.join(outdir, name)) }));
  const files = contents.map(({ name, content }) => ({ name, bytes: content.byteLength, gzip: gzipSync(content).byteLength })).sort((a, b) => b.gzip - a.gzip);
  const all = Buffer.concat(contents.map((c) => c.content));
  return { files, bytes: all.byteLength, gzip: gzipSync(all).byteLength };
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

if (import.meta.main) {
  const args = process.argv.slice(2);
  const modelsAt = args.indexOf("--models");
  if (modelsAt >= 0) {
    const [, names] = args.splice(modelsAt, 2);
    console.log(`the Worker bundles: ${writeEdgeModels((names ?? "").split(",").filter(Boolean)).join(", ")}`);
  }
  // The default model must be bundled, or every request that names no model would fail.
  const varAt = args.findIndex((a, i) => a === "--var" && args[i + 1]?.startsWith("DEFAULT_MODEL:"));
  const defaultModel = varAt >= 0 ? args[varAt + 1]!.slice("DEFAULT_MODEL:".length) : configuredDefaultModel();
  if (defaultModel && !shippedModels().includes(defaultModel)) {
    console.error(`DEFAULT_MODEL "${defaultModel}" is not among the bundled models (${shippedModels().join(", ")}): set it in wrangler.toml, pass --var DEFAULT_MODEL:NAME, or bundle it with --models`);
    process.exit(1);
  }
  const outdirAt = args.indexOf("--outdir");
  const outdir = outdirAt >= 0 ? path.resolve(args[outdirAt + 1]!) : repoPath("dist");
  // Minified for upload only (smaller bundle); `wrangler dev` and the tests keep readable stack traces.
  const wranglerArgs = [...(outdirAt >= 0 ? args : [...args, "--outdir", outdir]), "--minify"];
  rmSync(outdir, { recursive: true, force: true }); // wrangler leaves older modules in place
  const wrangler = spawnSync(process.execPath, [repoPath("node_modules", "wrangler", "bin", "wrangler.js"), "deploy", ...wranglerArgs], { stdio: "inherit", cwd: repoPath() });
  if (wrangler.status !== 0) process.exit(wrangler.status ?? 1);
  const size = bundleSize(outdir);
  for (const f of size.files) console.log(`${f.name.padEnd(70)} ${mib(f.bytes).padStart(10)} ${mib(f.gzip).padStart(10)} gzip`);
  console.log(`bundle: ${size.files.length} modules, ${mib(size.bytes)}, gzip ${mib(size.gzip)} (limit ${mib(GZIP_LIMIT_BYTES)}, our target ${mib(GZIP_TARGET_BYTES)})`);
  console.log(JSON.stringify({ bundle_bytes: size.bytes, bundle_gzip_bytes: size.gzip }));
  if (size.gzip > GZIP_LIMIT_BYTES) {
    console.error(`the bundle is over Cloudflare's compressed Worker limit by ${mib(size.gzip - GZIP_LIMIT_BYTES)}`);
    process.exit(1);
  }
}
