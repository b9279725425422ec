// The Worker's import lists (functions/models/, written by `npm run edge-models`) are in step with model/:
// every folder's edge files and nothing else (never the large model), and the deployment serves its
// DEFAULT_MODEL.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { allModule, bundledModule, configuredDefaultModel, edgeFiles, modelFolders, shippedModels, shippedModule } from "../../scripts/edge-models.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const read = (...p: string[]) => readFileSync(repoPath("functions", "models", ...p), "utf8");

it("each model folder has its bundled module, with its edge files and no large model", () => {
  expect(modelFolders().length).toBeGreaterThan(0);
  for (const name of modelFolders()) {
    expect(read("bundled", `${name}.js`), `${name}: npm run edge-models`).toBe(bundledModule(name));
    expect(edgeFiles(name)).toContain("small.onnx");
    expect(edgeFiles(name)).not.toContain("large.onnx");
  }
  expect(read("all.js")).toBe(allModule(modelFolders()));
});

it("the deployment bundles its default model, the title index, and only the models it names", () => {
  const shipped = shippedModels();
  expect(read("shipped.js")).toBe(shippedModule(shipped));
  expect(shipped).toContain(configuredDefaultModel());
});
