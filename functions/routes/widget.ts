// The embeddable widget's static routes and the demo page:
//   GET /widget/v1/career-next-steps.js  the script, immutable for a year, readable from any origin
//   GET /widget/v1/integrity.json        its SRI hash, computed here from the very bytes served
//   GET /                                the demo page, the widget embedded with that hash
// Mounted before the CORS policy: the script is public whatever ALLOWED_ORIGINS lets call the API, and a
// cached immutable file must not vary by Origin.
import { Hono } from "hono";
import { subresourceIntegrity, WIDGET_INTEGRITY_PATH, WIDGET_SCRIPT_PATH } from "../../core/widget-asset.ts";
import type { AppEnv } from "../env.ts";
import { DEMO_PAGE_CSS, renderDemoPage } from "../static/demo-page.ts";
import { WIDGET_SOURCE } from "../static/widget-source.js";

const PUBLIC = { "access-control-allow-origin": "*", "cross-origin-resource-policy": "cross-origin", "x-content-type-options": "nosniff" };
const SHORT_CACHE = "public, max-age=300";

// What is served is WIDGET_SOURCE as UTF-8: these bytes (the file is ASCII-only: test/unit/widget.test.ts).
const scriptBytes = new Uint8Array(new TextEncoder().encode(WIDGET_SOURCE));
let integrity: Promise<string> | undefined;
let styleHash: Promise<string> | undefined;

/** The served script's "sha384-..." (once per isolate). */
export const widgetIntegrity = (): Promise<string> => (integrity ??= subresourceIntegrity(scriptBytes));

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/** The demo page runs only same-origin scripts, and no inline style but its own: the widget must work so. */
async function demoPageCsp(): Promise<string> {
  styleHash ??= sha256Base64(DEMO_PAGE_CSS);
  return `default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'sha256-${await styleHash}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export function widgetRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(WIDGET_SCRIPT_PATH, (c) =>
    c.body(WIDGET_SOURCE, 200, { ...PUBLIC, "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" }),
  );
  routes.get(WIDGET_INTEGRITY_PATH, async (c) =>
    c.json({ src: WIDGET_SCRIPT_PATH, integrity: await widgetIntegrity(), bytes: scriptBytes.byteLength }, 200, { ...PUBLIC, "cache-control": SHORT_CACHE }),
  );
  routes.get("/", async (c) => {
    const html = renderDemoPage({ origin: new URL(c.req.url).origin, integrity: await widgetIntegrity() });
    return c.html(html, 200, { "cache-control": SHORT_CACHE, "content-security-policy": await demoPageCsp(), "x-content-type-options": "nosniff" });
  });
  return routes;
}
