// `npm run edge-engine -- --dataset NAME`, run as a real process on a copy of a shipped folder built before
// the build recorded its choice: the small model and the baselines are scored on the validation people, and
// the manifest gains which engine the edge serves (synthetic's career model beats its logit). And the choice
// itself, both ways; a folder whose small model reads tokens is refused.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { servesSmallModel, type ModelManifest } from "../../core/model-artifact.ts";
import { chooseEdgeEngine, describeEdgeEngine, SMALL_MODEL } from "../../scripts/eval/edge-engine.ts";
import { languageModelFiles } from "../../scripts/eval/lm-scorers.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const work = mkdtempSync(path.join(tmpdir(), "edge-engine-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("records on validation people whether the edge serves the small model or the best baseline", () => {
  cpSync(repoPath("model", "synthetic"), work, { recursive: true });
  const file = path.join(work, "manifest.json");
  const shipped: ModelManifest = JSON.parse(readFileSync(file, "utf8"));
  const before = structuredClone(shipped);
  delete before.language_models!.small.served;
  delete before.language_models!.small.selection;
  writeFileSync(file, JSON.stringify(before, null, 2));

  const out = execFileSync("npm", ["run", "--silent", "edge-engine", "--", "--dataset", "synthetic", "--model", work], { cwd: repoPath(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const after: ModelManifest = JSON.parse(readFileSync(file, "utf8"));
  const { served, selection } = after.language_models!.small;
  expect(selection).toMatchObject({ baseline: "logit", small_validation_nll: expect.any(Number), baseline_validation_nll: expect.any(Number) });
  expect(served).toBe(selection!.small_validation_nll <= selection!.baseline_validation_nll);
  expect(served).toBe(true);
  expect(servesSmallModel(after)).toBe(true);
  expect(out).toContain("The edge serves the small model: it beat the best baseline, logit");
  // Nothing else in the manifest moves, and the shipped folder holds the same choice.
  expect({ ...after, language_models: { ...after.language_models!, small: before.language_models!.small } }).toEqual(before);
  expect(shipped.language_models!.small).toMatchObject({ served, selection });
}, 300_000);

it("serves the baseline where it was better on the validation people, and says so", () => {
  const results = (small: number, logit: number) => [
    { model: SMALL_MODEL, validation_nll: small },
    { model: "logit", validation_nll: logit },
  ];
  for (const [small, logit, served] of [[1.6473, 1.5024, false], [1.3959, 1.5024, true], [1.5, 1.5, true]] as const) {
    const choice = chooseEdgeEngine({ results: results(small, logit) as never, bestBaseline: "logit" });
    expect(choice).toEqual({ served, selection: { small_validation_nll: small, baseline: "logit", baseline_validation_nll: logit } });
    expect(describeEdgeEngine({ served: choice.served, selection: choice.selection } as never)).toContain(served ? "serves the small model" : "serves the logit baseline");
  }
});

it("a folder whose small model reads resume tokens (built before the career input) is refused by name, not scored with the wrong inputs", () => {
  const manifest: ModelManifest = JSON.parse(readFileSync(repoPath("model", "synthetic", "manifest.json"), "utf8"));
  expect(() => languageModelFiles("model/old", manifest)).not.toThrow();
  manifest.language_models!.small.input = "tokens";
  expect(() => languageModelFiles("model/old", manifest)).toThrow(/model\/old: its small model reads resume tokens.*npm run build:model/);
});
