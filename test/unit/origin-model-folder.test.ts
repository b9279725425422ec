// The origin refuses a model folder whose large model, tokenizer or labels do not match the manifest, one
// with no large model at all, and one whose large model's calibration is not usable, before it serves anything.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ArtifactIntegrityError } from "../../core/model-artifact.ts";
import { loadModelFolder } from "../../origin/model-folder.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const shipped = repoPath("model", "nlswork");
const scratch = mkdtempSync(path.join(tmpdir(), "origin-model-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the shipped folder with `change` applied. */
function variant(name: string, change: (dir: string) => void): string {
  const dir = path.join(scratch, name);
  for (const file of ["manifest.json", "labels.json", "tokenizer.json", "large.onnx"]) cpSync(path.join(shipped, file), path.join(dir, file));
  change(dir);
  return dir;
}

describe("loadModelFolder", () => {
  it("the shipped folder: verified, with its labels, context and the large model's bytes", async () => {
    const model = await loadModelFolder(shipped);
    expect(model).toMatchObject({ name: "nlswork", parameters: expect.any(Number) });
    expect(model.labels.size).toBe(13);
    expect(model.spec.maxTokens).toBe(512);
    expect(model.spec.onnx.byteLength).toBe(model.manifest.files["large.onnx"]!.bytes);
    expect(model.calibration).toEqual(model.manifest.language_models!.large.calibration);
    expect(model.calibration).toBeDefined();
  });

  it("an altered file is refused, naming it", async () => {
    const dir = variant("tampered", (d) => {
      const labels = JSON.parse(readFileSync(path.join(d, "labels.json"), "utf8"));
      labels.labels[0].title = "Astronauts";
      writeFileSync(path.join(d, "labels.json"), JSON.stringify(labels));
    });
    await expect(loadModelFolder(dir)).rejects.toThrow(/labels\.json does not match its manifest/);
    await expect(loadModelFolder(variant("missing", (d) => rmSync(path.join(d, "large.onnx"))))).rejects.toThrow(/cannot read large\.onnx/);
  });

  it("a folder without a large language model is refused with the reason", async () => {
    const dir = variant("baseline-only", (d) => {
      const manifest = JSON.parse(readFileSync(path.join(d, "manifest.json"), "utf8"));
      delete manifest.language_models;
      writeFileSync(path.join(d, "manifest.json"), JSON.stringify(manifest));
    });
    await expect(loadModelFolder(dir)).rejects.toThrow(ArtifactIntegrityError);
    await expect(loadModelFolder(dir)).rejects.toThrow(/no large language model/);
  });

  it("a calibration that is not finite numbers, positive temperatures and a monotone map is refused", async () => {
    for (const [name, change] of [
      ["zero-temperature", { temperature: 0 }],
      ["missing-shift", { stay_shift: undefined }],
      ["text-scale", { stay_scale: "0.7" }],
      ["knots-without-slopes", { stay_knots: [-1, 0], stay_slopes: [1] }],
      ["knots-descending", { stay_knots: [0, -1], stay_slopes: [1, 1] }],
      ["negative-slope", { stay_knots: [-1, 0], stay_slopes: [1, -0.5] }],
    ] as const) {
      const dir = variant(name, (d) => {
        const manifest = JSON.parse(readFileSync(path.join(d, "manifest.json"), "utf8"));
        Object.assign(manifest.language_models.large.calibration, change);
        writeFileSync(path.join(d, "manifest.json"), JSON.stringify(manifest));
      });
      await expect(loadModelFolder(dir), name).rejects.toThrow(/language_models\.large\.calibration .* is not a calibration/);
    }
  });
});
