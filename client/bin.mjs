#!/usr/bin/env node
// The `labor-llm-edge` command (package.json "bin"): runs client/cli.ts on a Node that strips TypeScript
// types. Plain JavaScript so that any Node can start it: a Node without type stripping (such as Node 20)
// hands over to the project's own Node 24 (the `node` devDependency, installed by `npm install`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

if (process.features.typescript) {
  const { main } = await import("./cli.ts");
  process.exitCode = await main(process.argv.slice(2));
} else {
  const self = fileURLToPath(import.meta.url);
  const node = [new URL("../node_modules/node/bin/node", import.meta.url), new URL("../node_modules/.bin/node", import.meta.url)]
    .map((u) => fileURLToPath(u))
    .find((path) => existsSync(path));
  if (!node) {
    console.error(`labor-llm-edge needs Node >= 22.18 (this is ${process.version}), or \`npm install\` in the repository for its Node 24`);
    process.exit(1);
  }
  const child = spawnSync(node, [self, ...process.argv.slice(2)], { stdio: "inherit" });
  if (child.error) throw child.error;
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}
