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

/** Every relative import of the files under `layer`, as "file -> repository path imported". */
function importsOf(layer: string): string[] {
  return tsFiles(repoPath(layer)).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gm)].map(
      (m) => `${path.relative(repoPath(), file)} -> ${path.relative(repoPath(), path.resolve(path.dirname(file), m[1]!))}`,
    ),
  );
}

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

  it("the scan sees cross-layer imports where there are some", () => {
    expect(into(importsOf("functions"), "core").length).toBeGreaterThan(10);
  });
});
