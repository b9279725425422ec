// The widget's static routes inside workerd: the script (content type, immutable caching, CORS for any
// origin), its published SRI hash against the bytes actually served, the gzip budget, and the demo page.
import { describe, expect, it } from "vitest";
import { WIDGET_GZIP_BUDGET_BYTES, WIDGET_INTEGRITY_PATH, WIDGET_SCRIPT_PATH } from "../../core/widget-asset.ts";
import { BASE, worker } from "./helpers.ts";

async function sha384(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
  return "sha384-" + btoa(String.fromCharCode(...digest));
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

describe("GET /widget/v1/career-next-steps.js", () => {
  it("serves the module as JavaScript, cached as immutable, readable from any origin", async () => {
    const res = await worker.fetch(BASE + WIDGET_SCRIPT_PATH, { headers: { origin: "https://jobs.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("vary") ?? "").not.toMatch(/origin/i); // one cached copy for every site
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const text = await res.text();
    expect(text).toMatch(/^\/\/ <career-next-steps>/);
    expect(text).toContain('customElements.define("career-next-steps", CareerNextSteps)');
  });

  it("answers HEAD without a body", async () => {
    const res = await worker.fetch(BASE + WIDGET_SCRIPT_PATH, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it(`publishes the SRI hash of the served bytes, and stays under ${WIDGET_GZIP_BUDGET_BYTES} bytes gzip`, async () => {
    const served = new Uint8Array(await (await worker.fetch(BASE + WIDGET_SCRIPT_PATH)).arrayBuffer());
    const res = await worker.fetch(BASE + WIDGET_INTEGRITY_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const published = (await res.json()) as { src: string; integrity: string; bytes: number };
    expect(published).toEqual({ src: WIDGET_SCRIPT_PATH, integrity: await sha384(served), bytes: served.byteLength });
    expect(await gzipSize(served)).toBeLessThan(WIDGET_GZIP_BUDGET_BYTES);
  });
});

describe("GET / (demo page)", () => {
  it("embeds the widget with its integrity hash, under a CSP that allows no inline script", async () => {
    const res = await worker.fetch(`${BASE}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8$/i);
    const html = await res.text();
    const { integrity } = (await (await worker.fetch(BASE + WIDGET_INTEGRITY_PATH)).json()) as { integrity: string };
    expect(html).toContain(`<script type="module" src="${WIDGET_SCRIPT_PATH}" integrity="${integrity}" crossorigin="anonymous"></script>`);
    expect(html).toContain("<career-next-steps");
    expect(html).toContain(`${BASE}${WIDGET_SCRIPT_PATH}`); // the snippet to copy, for this deployment
    for (const link of ['href="/docs"', 'href="/openapi.json"']) expect(html).toContain(link);

    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain("unsafe-inline");
    // The one inline style is allowed by its hash.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style)));
    expect(csp).toContain(`style-src 'sha256-${btoa(String.fromCharCode(...digest))}'`);
  });
});
