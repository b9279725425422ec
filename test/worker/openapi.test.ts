/// <reference types="vite/client" />
// The OpenAPI document and the docs page, inside workerd through the Worker's real entry point: the served
// document's schemas (checked with a JSON Schema 2020-12 validator, not with zod) accept the README's
// examples and what the Worker really answers, refuse what the edge refuses, and name every route.
import { Validator } from "@cfworker/json-schema";
import { beforeAll, describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import apiDocs from "../../docs/api.md?raw";
import { EdgePredictRequestSchema } from "../../core/contract.ts";
import { createApp } from "../../functions/app.ts";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import type { OpenApiDocument } from "../../functions/openapi/document.ts";
import { BASE, THREE_YEARS, postJson, worker } from "./helpers.ts";

const DOC_ID = "https://labor-llm-edge.dev/openapi.json";
let doc: OpenApiDocument;

beforeAll(async () => {
  const res = await worker.fetch(`${BASE}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = await res.json();
});

/** A validator of one component schema, resolving $refs within the served document. */
function validator(name: string): (value: unknown) => boolean {
  const v = new Validator({ $ref: `${DOC_ID}#/components/schemas/${name}` }, "2020-12", false);
  v.addSchema(structuredClone(doc) as never, DOC_ID);
  return (value) => v.validate(value).valid;
}

/** The JSON bodies the README and docs/api.md send to a path with curl -d '...'. */
function readmeBodies(path: string): unknown[] {
  const bodies: unknown[] = [];
  for (const m of (readme + apiDocs).matchAll(/curl -s http:\/\/127\.0\.0\.1:8787(\/\S+) (?:(?!curl)[\s\S])*?-d '([^']+)'/g)) if (m[1] === path) bodies.push(JSON.parse(m[2]!));
  return bodies;
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document whose server is this deployment", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]!.url).toBe(new URL(BASE).origin);
    expect(doc.components.securitySchemes).toMatchObject({ bearerAuth: { scheme: "bearer" }, apiKeyHeader: { in: "header", name: "x-api-key" } });
  });

  it("documents every route of the app, and only routes the app has", () => {
    const routes = createApp(edgeModelRegistry(ALL_MODELS))
      .routes.filter((r) => (r.method === "GET" || r.method === "POST") && !r.path.includes("*"))
      // The API and its reference; pages of the app (a demo page, widget assets) are not API operations.
      .filter((r) => r.path.startsWith("/v1/") || ["/health", "/openapi.json", "/docs"].includes(r.path));
    // A route with middleware (the POST routes' body reader) is listed once per handler.
    const served = [...new Set(routes.map((r) => `${r.method} ${r.path}`))].sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    expect(documented).toEqual(
      expect.arrayContaining([
        "POST /v1/predict",
        "POST /v1/predict/batch",
        "GET /v1/models",
        "GET /v1/occupations",
        "GET /v1/occupations/search",
        "GET /health",
        "GET /openapi.json",
        "GET /docs",
      ]),
    );
  });

  it("documents the refusals of each prediction operation", () => {
    for (const path of ["/v1/predict", "/v1/predict/batch"])
      expect(Object.keys(doc.paths[path]!.post!.responses)).toEqual(["200", "400", "401", "403", "413", "415", "422", "429", "503"]);
  });

  it("accepts the request examples of the README and docs/api.md", () => {
    const predict = readmeBodies("/v1/predict");
    expect(predict.length).toBeGreaterThanOrEqual(3);
    const isRequest = validator("PredictRequest");
    for (const body of predict) expect(isRequest(body), JSON.stringify(body)).toBe(true);
    expect(validator("PredictBatchRequest")({ requests: predict })).toBe(true);
    // The document's own examples too.
    for (const [name, example] of Object.entries(doc.paths["/v1/predict"]!.post!.requestBody!.content["application/json"]!.examples!))
      expect(isRequest(example.value), name).toBe(true);
  });

  it("refuses what the edge refuses, as zod does", () => {
    const isRequest = validator("PredictRequest");
    const cases: [unknown, boolean][] = [
      [{ history: THREE_YEARS }, true],
      [{ history: [{ year: 2018, code: "29-1141", system: "soc2018" }], allow_best_guess: true }, true],
      [{ history: [] }, false],
      [{ history: THREE_YEARS, top_k: 0 }, false],
      [{ history: THREE_YEARS, colour: "blue" }, false],
      [{ history: [{ year: 1978, occupation: "3", title: "Nurse" }] }, false],
      [{ history: [{ year: 1978, code: "29-1141" }] }, false],
      [{ history: [{ year: 1978, occupation: "3", system: "soc2018" }] }, false],
      [{ history: [{ year: 1978 }] }, false],
      [{ history: [{ year: 1978.5, occupation: "3" }] }, false],
      [{ history: THREE_YEARS, person: { sex: "unknown" } }, false],
      [{ history: THREE_YEARS, equivalents: "onet-soc" }, true],
      [{ history: THREE_YEARS, equivalents: "soc2010" }, false],
    ];
    for (const [body, ok] of cases) {
      expect(isRequest(body), JSON.stringify(body)).toBe(ok);
      expect(EdgePredictRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(ok);
    }
    expect(validator("PredictBatchRequest")({ requests: [] })).toBe(false);
  });

  it("describes what the Worker answers: predictions, catalogue, health and refusals", async () => {
    const get = async (path: string) => (await worker.fetch(BASE + path)).json();
    const checks: [string, unknown][] = [
      ["PredictResponse", await (await postJson({ history: THREE_YEARS, full_distribution: true })).json()],
      ["PredictResponse", await (await postJson({ history: THREE_YEARS, top_k: 13, equivalents: "soc2018" })).json()],
      ["PredictBatchResponse", await (await postJson({ requests: [{ history: THREE_YEARS }] }, { path: "/v1/predict/batch" })).json()],
      ["ModelsResponse", await get("/v1/models")],
      ["OccupationsResponse", await get("/v1/occupations")],
      ["OccupationSearchResponse", await get("/v1/occupations/search?q=regist")],
      ["HealthResponse", await get("/health")],
      ["Problem", await (await postJson("{")).json()],
      ["Problem", await (await postJson({ history: [{ year: 1978, occupation: "99" }] })).json()],
      ["Problem", await get("/v1/occupations/search?q=")],
    ];
    for (const [name, body] of checks) expect(validator(name)(body), `${name}: ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
    // Not vacuous: a missing member or an undocumented one is refused.
    const [, health] = checks.find(([name]) => name === "HealthResponse")!;
    expect(validator("HealthResponse")({ ...(health as object), uptime: 1 })).toBe(false);
    expect(validator("PredictResponse")({ model: "nlswork" })).toBe(false);
  });
});

describe("GET /docs", () => {
  it("is a self-contained HTML page naming every path and operation", async () => {
    const res = await worker.fetch(`${BASE}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    const has = (text: string) => expect(html.includes(text), text).toBe(true);
    for (const [path, item] of Object.entries(doc.paths)) {
      has(`<code>${path}</code>`);
      for (const op of Object.values(item)) has(`id="op-${op.operationId}"`);
    }
    for (const name of Object.keys(doc.components.schemas)) has(`id="schema-${name}"`);
    // Nothing loaded from anywhere: works offline.
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
  });
});
