// A Worker entry that serves chosen model folders (a build's --out folder, or a folder of model/ that the
// deployment does not ship), for the tests and benchmarks: the real app (functions/app.ts) over those folders' edge files, bundled by wrangler.toml's "Data" rule as the
// generated functions/models/bundled/NAME.js modules bundle model/NAME/ (scripts/edge-models.ts). Nothing in
// the repository is rewritten: the entry lives next to the folders, and `wrangler dev` runs it with the
// repository's wrangler.toml (bindings, vars, module rules), e.g. startWranglerDev({ args: folderWorkerArgs(...) }).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { edgeFiles } from "../edge-models.ts";
import { repoPath } from "./paths.ts";

/**
 * Writes ROOT/worker.ts serving the model folders `folders` (name -> folder; the "Data" rule matches imports
 * whose path holds a model/ folder); returns the entry's path.
 */
export function writeFolderWorker(root: string, folders: Readonly<Record<string, string>>): string {
  const imports: string[] = [];
  const models = Object.entries(folders).map(([name, dir]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`model name ${JSON.stringify(name)} is not a JavaScript name`);
    const files = edgeFiles(name, dir);
    if (!files) throw new Error(`${dir} holds no manifest.json`);
    const entries = files.map((f) => {
      imports.push(`import ${name}_${imports.length} from ${JSON.stringify(path.join(dir, f))};`);
      return `${JSON.stringify(f)}: ${name}_${imports.length - 1}`;
    });
    return `  ${name}: { ${entries.join(", ")} },`;
  });
  const entry = path.join(root, "worker.ts");
  writeFileSync(
    entry,
    [
      `// Written by scripts/lib/folder-worker.ts: the edge app over the model folders ${Object.values(folders).join(", ")}.`,
      `import { createApp } from ${JSON.stringify(repoPath("functions", "app.ts"))};`,
      `import { edgeModelRegistry } from ${JSON.stringify(repoPath("functions", "models", "edge-model.ts"))};`,
      ...imports,
      "",
      "export default createApp(edgeModelRegistry({",
      ...models,
      "}));",
      "",
    ].join("\n"),
  );
  return entry;
}

/** `wrangler dev` arguments that serve the model folders `folders` (name -> folder; see writeFolderWorker), from
 *  an entry written into the scratch folder `root`, with the first one as the default model. */
export function folderWorkerArgs(root: string, folders: Readonly<Record<string, string>>): string[] {
  // Without --config, wrangler would look for a configuration next to the entry, outside the repository.
  return [writeFolderWorker(root, folders), "--config", repoPath("wrangler.toml"), "--var", `DEFAULT_MODEL:${Object.keys(folders)[0]}`];
}

/** A shipped model folder of the repository (model/NAME) served by a folder worker, whatever the deployment ships. */
export const repoModel = (name: string): Record<string, string> => ({ [name]: repoPath("model", name) });
