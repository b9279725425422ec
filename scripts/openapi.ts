// npm run openapi [-- --out FILE] [--stdout] [--server URL]: the API's OpenAPI 3.1 document, generated from
// the contract's schemas (functions/openapi/), written to out/openapi.json by default, with the local
// `npm run dev` (http://127.0.0.1:8787) as its server unless --server names another. The running Worker
// serves the same document at GET /openapi.json, and a page rendered from it at GET /docs.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { buildOpenApiDocument } from "../functions/openapi/document.ts";
import { repoPath } from "./lib/paths.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: repoPath("out", "openapi.json") },
    stdout: { type: "boolean", default: false },
    server: { type: "string" },
  },
});

const document = buildOpenApiDocument(values.server ? { servers: [{ url: values.server }] } : {});
const text = JSON.stringify(document, null, 2) + "\n";
if (values.stdout) {
  process.stdout.write(text);
} else {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, text);
  console.log(`wrote ${values.out} (OpenAPI ${document.openapi}, server ${document.servers[0]!.url})`);
}
