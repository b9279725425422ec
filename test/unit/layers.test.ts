// The layers point one way: what runs in production (core/, functions/, origin/) never imports the offline
// pipeline (scripts/), and the shared library (core/) and the origin import nothing of the edge Worker
// (functions/). Read from the import statements of every TypeScript file.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoPath } from "../../scripts/lib/paths.ts";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The relative imports of `files`, as "file -> repository path imported" (only those that run: no `import type`). */
function importsOfFiles(files: string[], { valuesOnly = false } = {}): string[] {
  return files.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/^\s*(import|export)\b( type\b)?[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gm)]
      .filter((m) => !(valuesOnly && m[2]))
      .map((m) => `${path.relative(repoPath(), file)} -> ${path.relative(repoPath(), path.resolve(path.dirname(file), m[3]!))}`),
  );
}

/** Every relative import of the files under `layer`. */
const importsOf = (layer: string): string[] => importsOfFiles(tsFiles(repoPath(layer)));

const into = (imports: string[], layer: string) => imports.filter((i) => i.split(" -> ")[1]!.startsWith(`${layer}/`));

describe("layers", () => {
  it.each(["core", "functions", "origin"])("%s/ imports nothing of scripts/", (layer) => {
    const imports = importsOf(layer);
    expect(imports.length).toBeGreaterThan(0);
    expect(into(imports, "scripts")).toEqual([]);
  });

  it.each(["core", "origin"])("%s/ imports nothing of functions/", (layer) => {
    expect(into(importsOf(layer), "functions")).toEqual([]);
  });

  // A warm POST /v1/predict passes through six application files, each entered once: entry, app, route,
  // pipeline, router, and core/ as the library (docs/edge.md). What the route and the pipeline run of the
  // edge is only the next step; the router's own helpers (breaker, origin client) run only when it escalates.
  it("a prediction passes route -> pipeline -> router, and the pipeline runs nothing else of functions/ but the bundled data", () => {
    const edgeImports = (file: string) => into(importsOfFiles([repoPath(file)], { valuesOnly: true }), "functions").map((i) => i.split(" -> ")[1]);
    expect(edgeImports("functions/routes/predict.ts")).toEqual(["functions/predict/pipeline.ts"]);
    expect(edgeImports("functions/predict/pipeline.ts").sort()).toEqual(["functions/models/shipped.js", "functions/routing/router.ts"]);
  });

  it("the scan sees cross-layer imports where there are some", () => {
    expect(into(importsOf("functions"), "core").length).toBeGreaterThan(10);
  });
});
