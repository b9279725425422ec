// GET /docs: the OpenAPI document rendered as one self-contained HTML page: no script, font, stylesheet or
// image from anywhere, so the reference works offline from the Worker and says exactly what /openapi.json
// says. A small renderer for the subset of JSON Schema that functions/openapi/schemas.ts produces.
import type { JsonSchema } from "./schemas.ts";
import type { MediaType, OpenApiDocument, Operation, Reference, ResponseObject } from "./document.ts";

const escapeHtml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

/** Markdown's `code` spans and paragraphs, nothing more (the document's descriptions use no other markup). */
function prose(text: string | undefined): string {
  if (!text) return "";
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.replace(/\s*\n\s*/g, " ")).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("");
}

const inline = (text: string | undefined): string => (text ? prose(text).replace(/^<p>|<\/p>$/g, "").replaceAll("</p><p>", " ") : "");
const code = (value: unknown): string => `<code>${escapeHtml(JSON.stringify(value))}</code>`;
const refName = (ref: string): string => ref.slice(ref.lastIndexOf("/") + 1);
const schemaLink = (name: string): string => `<a href="#schema-${escapeHtml(name)}"><code>${escapeHtml(name)}</code></a>`;
const opId = (method: string, path: string, op: Operation): string => `op-${op.operationId || method + path.replaceAll("/", "-")}`;

/** A one-line type: `integer`, `array of HistoryInputEntry`, `"a" | "b"`, `map of string to number`. */
function typeOf(schema: JsonSchema | boolean | undefined): string {
  if (schema === undefined || schema === true) return "any";
  if (schema === false) return "never";
  if (typeof schema.$ref === "string") return schemaLink(refName(schema.$ref));
  if (schema.const !== undefined) return code(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(code).join(" | ");
  const union = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (union && schema.type === undefined) return union.map(typeOf).join(" or ");
  if (schema.type === "array") return `array of ${typeOf(schema.items as JsonSchema | undefined)}`;
  if (schema.type === "object" && !schema.properties && typeof schema.additionalProperties === "object")
    return `map of string to ${typeOf(schema.additionalProperties as JsonSchema)}`;
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  return typeof schema.type === "string" ? schema.type : "any";
}

/** Constraints a caller must meet, in words. */
function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    if (min !== undefined && max !== undefined) out.push(`${min} to ${max}${unit}`);
    else if (min !== undefined) out.push(`at least ${min}${unit}`);
    else if (max !== undefined) out.push(`at most ${max}${unit}`);
  };
  range(schema.minimum, schema.maximum, "");
  range(schema.minLength, schema.maxLength, " characters");
  range(schema.minItems, schema.maxItems, " items");
  if (schema.default !== undefined) out.push(`default ${code(schema.default)}`);
  return out;
}

/** A field's description, then its constraints set apart. */
function meaning(description: string | undefined, schema: JsonSchema): string {
  const limits = constraints(schema);
  return inline(description) + (limits.length ? ` <span class="limits">${limits.join(", ")}</span>` : "");
}

interface Row {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** The rows of an object's properties; inline objects (and arrays of them) are opened below their field. */
function rowsOf(schema: JsonSchema, prefix = "", depth = 0): Row[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema | boolean>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows: Row[] = [];
  for (const [key, property] of Object.entries(properties)) {
    if (typeof property === "boolean") continue;
    const name = prefix + key;
    rows.push({ name, schema: property, required: required.has(key) });
    if (depth >= 3) continue;
    if (property.properties) rows.push(...rowsOf(property, `${name}.`, depth + 1));
    const items = property.items as JsonSchema | undefined;
    if (property.type === "array" && items?.properties) rows.push(...rowsOf(items, `${name}[].`, depth + 1));
  }
  return rows;
}

function propertiesTable(schema: JsonSchema): string {
  const rows = rowsOf(schema);
  if (!rows.length) return "";
  const body = rows
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.name)}</code>${r.required ? ' <span class="req">required</span>' : ""}</td><td>${typeOf(r.schema)}</td>` +
        `<td>${meaning(r.schema.description as string | undefined, r.schema)}</td></tr>`,
    )
    .join("");
  return `<table><thead><tr><th>field</th><th>type</th><th>meaning</th></tr></thead><tbody>${body}</tbody></table>`;
}

function examples(media: MediaType): string {
  return Object.entries(media.examples ?? {})
    .map(([name, ex]) => `<details><summary>Example: ${escapeHtml(ex.summary ?? name)}</summary><pre>${escapeHtml(JSON.stringify(ex.value, null, 2))}</pre></details>`)
    .join("");
}

function mediaTypes(content: Record<string, MediaType> | undefined): string {
  return Object.entries(content ?? {})
    .map(([type, media]) => `<p><code>${escapeHtml(type)}</code>: ${typeOf(media.schema)}</p>${examples(media)}`)
    .join("");
}

/** A request body's fields, opened in place: what a caller reads first. */
function requestFields(doc: OpenApiDocument, content: Record<string, MediaType>): string {
  const schema = content["application/json"]?.schema;
  const named = typeof schema?.$ref === "string" ? doc.components.schemas[refName(schema.$ref)] : schema;
  return named?.properties ? propertiesTable(named) : "";
}

function resolveResponse(doc: OpenApiDocument, response: ResponseObject | Reference): ResponseObject {
  return "$ref" in response ? doc.components.responses[refName(response.$ref)]! : response;
}

function operationSection(doc: OpenApiDocument, method: string, path: string, op: Operation): string {
  const auth = op.security.length
    ? `<p class="auth">API key optional: <code>Authorization: Bearer KEY</code> or <code>x-api-key: KEY</code>, required when the deployment sets <code>API_KEYS</code>.</p>`
    : `<p class="auth">No API key.</p>`;
  const parameters = op.parameters?.length
    ? `<h4>Query parameters</h4><table><thead><tr><th>name</th><th>type</th><th>meaning</th></tr></thead><tbody>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ""}</td><td>${typeOf(p.schema)}</td>` +
            `<td>${meaning(p.description, p.schema)}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : "";
  const body = op.requestBody
    ? `<h4>Request body</h4>${prose(op.requestBody.description)}${mediaTypes(op.requestBody.content)}${requestFields(doc, op.requestBody.content)}`
    : "";
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const response = resolveResponse(doc, r);
      const headers = Object.entries(response.headers ?? {})
        .map(([name, h]) => `<br><code>${escapeHtml(name)}</code> header: ${inline(h.description)}`)
        .join("");
      return `<tr><td class="status s${escapeHtml(status[0] ?? "")}">${escapeHtml(status)}</td><td>${inline(response.description)}${headers}</td><td>${mediaTypes(response.content)}</td></tr>`;
    })
    .join("");
  return (
    `<section class="op" id="${escapeHtml(opId(method, path, op))}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>` +
    `<p class="summary">${escapeHtml(op.summary)}</p>${prose(op.description)}${auth}${parameters}${body}` +
    `<h4>Responses</h4><table class="responses"><thead><tr><th>status</th><th>meaning</th><th>body</th></tr></thead><tbody>${responses}</tbody></table></section>`
  );
}

function schemaSection(name: string, schema: JsonSchema): string {
  const union = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  const forms = union && schema.properties ? `<p>One of: ${union.map((f) => escapeHtml(String(f.title ?? typeOf(f)))).join("; ")}.</p>` : "";
  const open = schema.type === "object" && schema.additionalProperties !== false ? "<p>Other members may appear.</p>" : "";
  return `<section class="schema" id="schema-${escapeHtml(name)}"><h3><code>${escapeHtml(name)}</code></h3>${prose(schema.description as string | undefined)}${forms}${
    schema.properties ? propertiesTable(schema) : `<p>${typeOf(schema)}</p>`
  }${open}</section>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff}
header,main{max-width:1100px;margin:0 auto;padding:0 24px}
header{border-bottom:1px solid #dde1e8;padding-bottom:8px}
h1{margin:24px 0 4px}h2{margin-top:40px;border-bottom:2px solid #1d2330}h3{margin:28px 0 4px}h4{margin:16px 0 4px}
code{font:13px/1.4 ui-monospace,monospace;background:#f2f4f7;padding:1px 4px;border-radius:3px}
pre{background:#f2f4f7;padding:12px;overflow:auto;font:13px/1.4 ui-monospace,monospace}
table{border-collapse:collapse;width:100%;margin:4px 0 12px}th,td{text-align:left;vertical-align:top;border-bottom:1px solid #e6e9ef;padding:6px 8px}
th{font-weight:600;background:#f7f8fa}
.method{display:inline-block;min-width:48px;text-align:center;color:#fff;border-radius:4px;padding:0 6px;font:600 13px/22px ui-monospace,monospace}
.get{background:#2f6f3e}.post{background:#2557a7}
.req{color:#a33;font-size:12px}.status{font-weight:600}.s2{color:#2f6f3e}.s4,.s5{color:#a33}
.limits{color:#666;font-size:13px;white-space:nowrap}
.op,.schema{border-top:1px solid #dde1e8}.summary{font-weight:600}.auth{color:#555;font-size:14px}
nav ul{columns:2;padding-left:18px}
`;

/** The whole page. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as Operation })),
  );
  const toc = operations
    .map(({ path, method, op }) => `<li><a href="#${escapeHtml(opId(method, path, op))}">${method.toUpperCase()} <code>${escapeHtml(path)}</code></a> ${escapeHtml(op.summary)}</li>`)
    .join("");
  const servers = doc.servers.map((s) => `<code>${escapeHtml(s.url)}</code>${s.description ? ` (${escapeHtml(s.description)})` : ""}`).join(", ");
  const byTag = doc.tags
    .map((tag) => {
      const ops = operations.filter(({ op }) => op.tags.includes(tag.name));
      return ops.length ? `<h2>${escapeHtml(tag.name)}</h2>${prose(tag.description)}${ops.map(({ path, method, op }) => operationSection(doc, method, path, op)).join("")}` : "";
    })
    .join("");
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, schema]) => schemaSection(name, schema))
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>${prose(doc.info.description)}
<p>Server: ${servers}. The machine-readable document: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
<nav><ul>${toc}</ul></nav></header>
<main>${byTag}<h2>Schemas</h2>${schemas}</main></body></html>
`;
}
