// npm run widget:sri [-- --origin URL] [--json]: the embeddable widget's Subresource Integrity hash (sha384 of
// the exact bytes the Worker serves at /widget/v1/career-next-steps.js: the file, bundled as text), its raw
// and gzip size against the budget, and the <script> tag to paste. Fails when the gzip size is over budget.
// The running Worker publishes the same hash at /widget/v1/integrity.json.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { subresourceIntegrity, WIDGET_GZIP_BUDGET_BYTES, WIDGET_SCRIPT_PATH } from "../core/widget-asset.ts";
import { repoPath } from "./lib/paths.ts";

export const WIDGET_FILE = repoPath("widget", "career-next-steps.js");

/** The widget's integrity and sizes (gzip at zlib's default level, as CompressionStream does). */
export async function widgetFacts(bytes: Uint8Array<ArrayBuffer> = readFileSync(WIDGET_FILE)) {
  return { integrity: await subresourceIntegrity(bytes), bytes: bytes.byteLength, gzip_bytes: gzipSync(bytes).byteLength, gzip_budget_bytes: WIDGET_GZIP_BUDGET_BYTES };
}

export const scriptTag = (origin: string, integrity: string): string =>
  `<script type="module" src="${origin.replace(/\/+$/, "")}${WIDGET_SCRIPT_PATH}" integrity="${integrity}" crossorigin="anonymous"></script>`;

if (import.meta.main) {
  const { values } = parseArgs({ options: { origin: { type: "string", default: "https://YOUR-WORKER.example" }, json: { type: "boolean", default: false } } });
  const facts = await widgetFacts();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  if (values.json) console.log(JSON.stringify({ src: WIDGET_SCRIPT_PATH, ...facts }, null, 2));
  else {
    console.log(`widget/career-next-steps.js: ${facts.bytes} bytes (${kb(facts.bytes)}), ${facts.gzip_bytes} bytes gzip (${kb(facts.gzip_bytes)}; budget ${kb(WIDGET_GZIP_BUDGET_BYTES)})`);
    console.log(`integrity: ${facts.integrity}`);
    console.log(`\n${scriptTag(values.origin, facts.integrity)}\n<career-next-steps></career-next-steps>`);
  }
  if (facts.gzip_bytes > WIDGET_GZIP_BUDGET_BYTES) {
    console.error(`over budget: ${facts.gzip_bytes} > ${WIDGET_GZIP_BUDGET_BYTES} bytes gzip`);
    process.exitCode = 1;
  }
}
