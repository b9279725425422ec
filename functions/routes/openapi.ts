// GET /openapi.json and GET /docs: the API's OpenAPI 3.1 document (generated from the contract's schemas,
// functions/openapi/) and a readable page rendered from it. Built once per isolate; the server is the
// origin the request came to, so "try it" tools and the page point at this deployment.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi/document.ts";
import { renderDocsPage } from "../openapi/docs-page.ts";

const CACHEABLE = { "cache-control": "public, max-age=300" };
/** The page needs nothing from anywhere: no scripts at all, inline styles only. */
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

let built: OpenApiDocument | undefined;

function documentFor(c: Context<AppEnv>): OpenApiDocument {
  built ??= buildOpenApiDocument();
  return { ...built, servers: [{ url: new URL(c.req.url).origin, description: "this deployment" }] };
}

export function openApiHandler() {
  return (c: Context<AppEnv>) => c.json(documentFor(c), 200, CACHEABLE);
}

export function docsHandler() {
  return (c: Context<AppEnv>) => c.html(renderDocsPage(documentFor(c)), 200, { ...CACHEABLE, "content-security-policy": DOCS_CSP });
}
