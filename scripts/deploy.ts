// npm run deploy [-- --models NAME,...] [--dry-run] [other wrangler deploy flags]: deploys the Worker with
// wrangler (secrets: see the README), minified, after printing what the bundle weighs. --models picks the
// model folders the Worker bundles (`npm run edge-models`; default: those functions/models/shipped.js lists
// now). With --dry-run it only builds the bundle into dist/ (or --outdir) and prints every module's raw and
// gzip size; it fails when the gzip total is over Cloudflare's 10 MB compressed limit for a Worker (Workers
// Paid plan; the free plan's is 3 MB). Sizes are in wrangler's units (1 MB = 2^20 bytes), and the total is
// gzipped the way wrangler reports it (all modules together, default level).
// An origin is deployed safely or not at all: when the configuration names one (wrangler.toml's ORIGIN_URL or
// --var ORIGIN_URL:...), it must be an https URL that is not a development address, and ORIGIN_SECRET must be
// set in the deploying shell's environment to something other than the public development secret; otherwise
// it refuses before building anything. After the upload, that secret goes to the Worker as a secret
// (`wrangler secret put ORIGIN_SECRET`), never as a plain variable.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { DEV_ORIGIN_SECRET } from "../core/origin-protocol.ts";
import { shippedModels, wranglerVar, writeEdgeModels } from "./edge-models.ts";
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

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"];

/** Why a deployment with this origin setting must not go ahead (undefined: it may). */
export function unsafeOrigin(originUrl: string | undefined, secret: string | undefined): string | undefined {
  if (!originUrl) return undefined; // no origin: the edge answers everything
  let url: URL;
  try {
    url = new URL(originUrl);
  } catch {
    return `ORIGIN_URL "${originUrl}" is not a URL`;
  }
  if (LOOPBACK_HOSTS.includes(url.hostname) || url.hostname.endsWith(".localhost"))
    return `ORIGIN_URL "${originUrl}" is a development address, which a deployed Worker cannot reach: set the origin's https URL, or "" for no origin`;
  if (url.protocol !== "https:") return `ORIGIN_URL "${originUrl}" is not https: the origin secret travels with every request`;
  if (!secret?.trim())
    return `ORIGIN_URL names an origin (${originUrl}) but ORIGIN_SECRET is not set: export ORIGIN_SECRET=<the origin's secret> before npm run deploy (it is uploaded as a Worker secret), or deploy without an origin (ORIGIN_URL = "")`;
  if (secret === DEV_ORIGIN_SECRET) return "ORIGIN_SECRET is the public development secret (core/origin-protocol.ts): anyone could use the origin; set a secret of your own on both sides";
  return undefined;
}

/** The value of a [vars] entry as deployed: the last --var NAME:VALUE given, else wrangler.toml's. */
export function deployedVar(name: string, args: readonly string[]): string | undefined {
  const given = args.filter((a, i) => args[i - 1] === "--var" && a.startsWith(`${name}:`)).at(-1);
  return given !== undefined ? given.slice(name.length + 1) : wranglerVar(name);
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

if (import.meta.main) {
  const args = process.argv.slice(2);
  const modelsAt = args.indexOf("--models");
  if (modelsAt >= 0) {
    const [, names] = args.splice(modelsAt, 2);
    console.log(`the Worker bundles: ${writeEdgeModels((names ?? "").split(",").filter(Boolean)).join(", ")}`);
  }
  const originUrl = deployedVar("ORIGIN_URL", args);
  const unsafe = unsafeOrigin(originUrl, process.env.ORIGIN_SECRET);
  if (unsafe) {
    console.error(`npm run deploy: refused, nothing built or uploaded: ${unsafe}`);
    process.exit(1);
  }
  // The default model must be bundled, or every request that names no model would fail.
  const defaultModel = deployedVar("DEFAULT_MODEL", args);
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
  if (originUrl && !args.includes("--dry-run")) {
    // The secret from the environment (checked above) as a Worker secret, read by wrangler from stdin.
    const put = spawnSync(process.execPath, [repoPath("node_modules", "wrangler", "bin", "wrangler.js"), "secret", "put", "ORIGIN_SECRET"], {
      input: process.env.ORIGIN_SECRET!,
      stdio: ["pipe", "inherit", "inherit"],
      cwd: repoPath(),
    });
    if (put.status !== 0) process.exit(put.status ?? 1);
  }
}
