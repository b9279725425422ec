// `npm run deploy -- --dry-run` builds the real bundle with wrangler (no network) and reports its gzip
// size: the default deployment (one model) stays under the 5 MB target, half of Cloudflare's 10 MB
// compressed limit for a Worker (a size, not a timing: the same on any machine). It refuses, before building
// anything, a configuration that would send the public development secret or reach a development origin
// from a deployment.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEV_ORIGIN_SECRET } from "../../core/origin-protocol.ts";
import { bundleSize, GZIP_TARGET_BYTES, unsafeOrigin } from "../../scripts/deploy.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const outdir = mkdtempSync(path.join(tmpdir(), "labor-llm-edge-dist-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it("npm run deploy -- --dry-run builds the bundle, under the 5 MB gzip target", () => {
  const out = execFileSync("npm", ["run", "--silent", "deploy", "--", "--dry-run", "--outdir", outdir], { cwd: repoPath(), encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } });
  const reported = JSON.parse(out.trim().split("\n").at(-1)!) as { bundle_gzip_bytes: number };
  const measured = bundleSize(outdir);
  expect(reported.bundle_gzip_bytes).toBe(measured.gzip);
  // What the edge needs is there: the onnxruntime-web wasm, the small model, its labels and baseline.
  for (const part of ["ort-wasm-simd-threaded.wasm", "small.onnx", "labels.json", "predictor.json"]) expect(measured.files.some((f) => f.name.endsWith(part)), part).toBe(true);
  expect(measured.files.some((f) => f.name.endsWith("large.onnx"))).toBe(false);
  expect(measured.gzip, `bundle ${(measured.gzip / 2 ** 20).toFixed(2)} MiB gzip`).toBeLessThanOrEqual(GZIP_TARGET_BYTES);
}, 180_000);

it("npm run deploy refuses a default model the bundle lacks, before building anything", () => {
  const run = spawnSync("npm", ["run", "--silent", "deploy", "--", "--dry-run", "--outdir", outdir, "--var", "DEFAULT_MODEL:not-bundled"], { cwd: repoPath(), encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/DEFAULT_MODEL "not-bundled" is not among the bundled models/);
});

describe("npm run deploy refuses an unsafe origin configuration, before building anything", () => {
  const deploy = (vars: string[], secret?: string) => {
    const target = path.join(outdir, `refused-${Math.random().toString(36).slice(2)}`);
    const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: "false" };
    delete env.ORIGIN_SECRET;
    if (secret !== undefined) env.ORIGIN_SECRET = secret;
    const run = spawnSync("npm", ["run", "--silent", "deploy", "--", "--dry-run", "--outdir", target, ...vars.flatMap((v) => ["--var", v])], { cwd: repoPath(), encoding: "utf8", env });
    return { ...run, built: existsSync(target) };
  };

  it.each([
    ["an origin without ORIGIN_SECRET", ["ORIGIN_URL:https://gpu.example.com"], undefined, /ORIGIN_URL names an origin \(https:\/\/gpu\.example\.com\) but ORIGIN_SECRET is not set/],
    ["the public development secret", ["ORIGIN_URL:https://gpu.example.com"], DEV_ORIGIN_SECRET, /ORIGIN_SECRET is the public development secret/],
    ["the development origin", ["ORIGIN_URL:http://127.0.0.1:8788"], "s-4f9a", /is a development address/],
    ["an origin over plain http", ["ORIGIN_URL:http://gpu.example.com"], "s-4f9a", /is not https/],
  ])("%s", (_, vars, secret, message) => {
    const run = deploy(vars, secret);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^npm run deploy: refused, nothing built or uploaded: /m);
    expect(run.stderr).toMatch(message);
    expect(run.built).toBe(false);
  });

  it("no origin, or a real one with its own secret, passes the check", () => {
    expect(unsafeOrigin("", undefined)).toBeUndefined();
    expect(unsafeOrigin("https://gpu.example.com", "s-4f9a")).toBeUndefined();
  });
});
