// A Worker entry that serves model folders from outside model/ (a build's --out folder), for the tests: the
// real app (functions/app.ts) over those folders' edge files, bundled by wrangler.toml's "Data" rule as the
// generated functions/models/bundled/NAME.js modules bundle model/NAME/ (scripts/edge-models.ts). Nothing in
// the repository is rewritten: the entry lives next to the folders, and `wrangler dev` runs it with the
// repository's wrangler.toml (bindings, vars, module rules), e.g. startWranglerDev({ args: folderWorkerArgs(...) }).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { edgeFiles } from "../edge-models.ts";
import { repoPath } from "./paths.ts";

/**
 * Writes ROOT/worker.ts serving the model folders ROOT/model/NAME/ of `names` (the "Data" rule matches
 * imports whose path holds a model/ folder); returns the entry's path.
 */
export function writeFolderWorker(root: string, names: readonly string[]): string {
  const imports: string[] = [];
  const models = names.map((name) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`model name ${JSON.stringify(name)} is not a JavaScript name`);
    const files = edgeFiles(name, path.join(root, "model", name));
    if (!files) throw new Error(`${path.join(root, "model", name)} holds no manifest.json`);
    const entries = files.map((f) => {
      imports.push(`import ${name}_${imports.length} from "./model/${name}/${f}";`);
      return `${JSON.stringify(f)}: ${name}_${imports.length - 1}`;
    });
    return `  ${name}: { ${entries.join(", ")} },`;
  });
  const entry = path.join(root, "worker.ts");
  writeFileSync(
    entry,
    [
      `// Written by scripts/lib/folder-worker.ts: the edge app over the model folders of ${root}.`,
      `import { createApp } from ${JSON.stringify(repoPath("functions", "app.ts"))};`,
      `import { createModelRegistry } from ${JSON.stringify(repoPath("functions", "models", "registry.ts"))};`,
      ...imports,
      "",
      "export default createApp(createModelRegistry({",
      ...models,
      "}));",
      "",
    ].join("\n"),
  );
  return entry;
}

/** `wrangler dev` arguments that serve ROOT/model/NAME/ for each name (see writeFolderWorker). */
export function folderWorkerArgs(root: string, names: readonly string[]): string[] {
  // Without --config, wrangler would look for a configuration next to the entry, outside the repository.
  return [writeFolderWorker(root, names), "--config", repoPath("wrangler.toml")];
}
