// The embeddable widget (widget/career-next-steps.js) as the Worker serves it: where, under what budget, and
// its Subresource Integrity hash. Shared by the Worker's routes, `npm run widget:sri` and the tests.

/** The path is versioned: the bytes under one version never change (cached as immutable, pinned by SRI). */
export const WIDGET_SCRIPT_PATH = "/widget/v1/career-next-steps.js";
export const WIDGET_INTEGRITY_PATH = "/widget/v1/integrity.json";
/** Budget for the widget's gzip size (the tests keep it under this). */
export const WIDGET_GZIP_BUDGET_BYTES = 12 * 1024;

/** "sha384-<base64>" of the exact bytes, as in `<script integrity>`. Web Crypto: Node and workerd alike. */
export async function subresourceIntegrity(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
  let binary = "";
  for (const b of digest) binary += String.fromCharCode(b);
  return `sha384-${btoa(binary)}`;
}
