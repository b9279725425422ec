// `npm run deploy -- --dry-run` builds the real bundle with wrangler (no network) and reports its gzip
// size, which must stay under Cloudflare's 10 MB compressed limit for a Worker, and the default deployment
// (one model) under our 5 MB target.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { bundleSize, GZIP_LIMIT_BYTES, GZIP_TARGET_BYTES } from "../../scripts/deploy.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const outdir = mkdtempSync(path.join(tmpdir(), "labor-llm-edge-dist-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it("npm run deploy -- --dry-run builds the bundle, under 10 MB gzip and under the 5 MB target", () => {
  const out = execFileSync("npm", ["run", "--silent", "deploy", "--", "--dry-run", "--outdir", outdir], { cwd: repoPath(), encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } });
  const reported = JSON.parse(out.trim().split("\n").at(-1)!) as { bundle_gzip_bytes: number };
  const measured = bundleSize(outdir);
  expect(reported.bundle_gzip_bytes).toBe(measured.gzip);
  // What the edge needs is there: the onnxruntime-web wasm, the small model and its tokenizer.
  for (const part of ["ort-wasm-simd-threaded.wasm", "small.onnx", "tokenizer.json"]) expect(measured.files.some((f) => f.name.endsWith(part))).toBe(true);
  expect(measured.files.some((f) => f.name.endsWith("large.onnx"))).toBe(false);
  expect(measured.gzip).toBeLessThan(GZIP_LIMIT_BYTES);
  expect(measured.gzip, "the default deployment's bundle is over its 5 MB target (BENCHMARKS.md)").toBeLessThanOrEqual(GZIP_TARGET_BYTES);
}, 180_000);

it("npm run deploy refuses a default model the bundle lacks, before building anything", () => {
  const run = spawnSync("npm", ["run", "--silent", "deploy", "--", "--dry-run", "--outdir", outdir, "--var", "DEFAULT_MODEL:not-bundled"], { cwd: repoPath(), encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/DEFAULT_MODEL "not-bundled" is not among the bundled models/);
});
