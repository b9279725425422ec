// The model pipeline stays alive: `npm run build:model -- --smoke` runs every stage (corpus, tokenizer,
// foundation, fine-tuning and variants, teacher scoring, distillation, calibration, ONNX export,
// evaluation, manifest) at toy size, as a user would run it; a second run finds every stage up to date.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { SmallModel } from "../../core/small-model.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { nodeRuntime } from "../../scripts/lib/ort-node.ts";

const repo = new URL("../..", import.meta.url).pathname;
const work = mkdtempSync(path.join(tmpdir(), "build-smoke-"));
const [outDir, buildDir] = [path.join(work, "model"), path.join(work, "build")];

function buildModel(): { stdout: string; stderr: string } {
  const args = ["run", "build:model", "--", "--dataset", "nlswork", "--smoke", "--out", outDir, "--build-dir", buildDir];
  const run = spawnSync("npm", args, { cwd: repo, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`build:model failed (${run.status}):\n${run.stderr.slice(-3000)}`);
  return run;
}

describe("npm run build:model -- --smoke", () => {
  it("builds every stage into a model folder whose manifest matches its files", async () => {
    const { stdout } = buildModel();
    const manifest: ModelManifest = JSON.parse(readFileSync(path.join(outDir, "manifest.json"), "utf8"));
    for (const [name, { sha256, bytes }] of Object.entries(manifest.files)) {
      const content = readFileSync(path.join(outDir, name));
      expect(content.byteLength, name).toBe(bytes);
      expect(createHash("sha256").update(content).digest("hex"), name).toBe(sha256);
    }
    expect(Object.keys(manifest.files).sort()).toEqual(
      ["labels.json", "large-reference.json", "large.onnx", "predictor.json", "seen-tokens.json", "small-reference.json", "small.onnx", "tokenizer.json"],
    );
    for (const model of ["frequency", "markov", "ngram", "logit", "large", "small (edge)", "large (panel only)", "large (codes)"]) {
      expect(manifest.metrics[model], model).toBeDefined();
      expect(manifest.metrics[model]!.perplexity).toBeGreaterThan(1);
    }
    expect(stdout).toMatch(/\| small \(edge\) \|/);

    // The exported small model answers through the same class the edge uses.
    const labels = LabelSet.of("nlswork");
    const lm = manifest.language_models!;
    const small = new SmallModel(
      await nodeRuntime(path.join(outDir, lm.small.file)),
      loadTokenizer(JSON.parse(readFileSync(path.join(outDir, lm.tokenizer), "utf8"))),
      labels,
      manifest.source,
      lm.small.max_tokens,
    );
    const probs = await small.predict({ person: { birth_year: 1950 }, history: [{ year: 1970, occupation: "3" }, { year: 1972, occupation: "4" }], nextYear: 1974 });
    expect(probs).toHaveLength(labels.size);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  }, 600_000);

  it("resumes: a second run finds every stage up to date and writes the same model", () => {
    const before = readFileSync(path.join(outDir, "manifest.json"), "utf8");
    const { stderr } = buildModel();
    const stagesRun = stderr.split("\n").filter((l) => / done in /.test(l));
    expect(stagesRun).toEqual([]);
    expect(stderr).toMatch(/nlswork-small: up to date/);
    expect(stderr).toMatch(/foundation: up to date/);
    expect(readFileSync(path.join(outDir, "manifest.json"), "utf8")).toBe(before);
  }, 300_000);
});
