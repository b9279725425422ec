// Every model folder is bundled into the Worker with the files the edge runs (functions/models/shipped.js
// lists them by hand, as static imports must be), and nothing the edge does not run (the large model).
import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

it("shipped.js bundles each model folder's edge files, and no large model", () => {
  const shipped = readFileSync(repoPath("functions", "models", "shipped.js"), "utf8");
  const imported = new Set([...shipped.matchAll(/from "\.\.\/\.\.\/model\/([^"]+)"/g)].map((m) => m[1]));
  const expected = new Set<string>();
  expected.add("titles/titles.json"); // the title autocoder's index
  for (const name of readdirSync(repoPath("model"))) {
    let manifest: ModelManifest;
    try {
      manifest = JSON.parse(readFileSync(repoPath("model", name, "manifest.json"), "utf8"));
    } catch {
      continue;
    }
    const files = ["manifest.json", "labels.json", "predictor.json"];
    const lm = manifest.language_models;
    if (lm) files.push(lm.small.file, lm.tokenizer, ...(lm.small.seen_tokens ? [lm.small.seen_tokens] : []));
    for (const f of files) expected.add(`${name}/${f}`);
  }
  expect(imported).toEqual(expected);
});
