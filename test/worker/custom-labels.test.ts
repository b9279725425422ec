// A model whose labels are a code list of its own (`custom:NAME`, built with `--labels`) is served like any
// other: listed, its labels and titles, predictions over its codes, search over its own titles; what needs a
// built-in taxonomy (the title coder, other systems' codes) is refused with a 422 problem, never a crash.
// The folder is built here (a baseline predictor, no language model) and served by the real app in workerd.
import { describe, expect, it } from "vitest";
import { ModelsResponseSchema, OccupationSearchResponseSchema, OccupationsResponseSchema, PredictResponseSchema } from "../../core/contract.ts";
import { sha256Hex } from "../../core/digest.ts";
import { ARTIFACT_FORMAT_VERSION, type LabelsFile, type ModelManifest } from "../../core/model-artifact.ts";
import { createApp } from "../../functions/app.ts";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";
import { expectProblem, pointersOf } from "./helpers.ts";

const LABELS: LabelsFile = {
  taxonomy: "custom:acme",
  labels: [
    { code: "ENG1", title: "Software engineer" },
    { code: "ENG2", title: "Senior software engineer" },
    { code: "PM1", title: "Product manager" },
    { code: "UNEMP", title: "Unemployed" },
    { code: "LEAVE", title: "Career break", special: "NILF" },
  ],
};
const PROBS = [0.4, 0.25, 0.15, 0.05, 0.15];

async function acmeFolder(): Promise<Record<string, ArrayBuffer>> {
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;
  const files: Record<string, ArrayBuffer> = { "labels.json": bytes(LABELS), "predictor.json": bytes({ kind: "frequency", probs: PROBS }) };
  const manifest: ModelManifest = {
    format_version: ARTIFACT_FORMAT_VERSION,
    name: "acme",
    description: "a company's job families",
    taxonomy: "custom:acme",
    kind: "baseline:frequency",
    source: "acme",
    step_years: 1,
    files: {},
    data: { dataset: "acme", fingerprint: "0", people: 1, person_years: 2 },
    metrics: {},
  };
  for (const [name, b] of Object.entries(files)) manifest.files[name] = { sha256: await sha256Hex(b), bytes: b.byteLength };
  return { ...files, "manifest.json": bytes(manifest) };
}

const env = { DEFAULT_MODEL: "acme" };
const app = acmeFolder().then((files) => createApp(edgeModelRegistry({ acme: files })));
const get = async (path: string) => (await app).request(path, {}, env);
const predict = async (body: unknown) =>
  (await app).request("/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, env);

describe("a model with a code list of its own", () => {
  it("is listed, with its labels, titles and the codes it gives special states", async () => {
    const models = ModelsResponseSchema.parse(await (await get("/v1/models")).json());
    expect(models.models[0]).toMatchObject({ name: "acme", available: true, taxonomy: "custom:acme", labels: 5, special_states: ["UNEMP", "LEAVE"], engine: "baseline:frequency" });
    const occupations = OccupationsResponseSchema.parse(await (await get("/v1/occupations?model=acme")).json());
    expect(occupations.taxonomy).toBe("custom:acme");
    expect(occupations.occupations.map((o) => [o.code, o.title, o.special_state])).toEqual([
      ["ENG1", "Software engineer", false],
      ["ENG2", "Senior software engineer", false],
      ["PM1", "Product manager", false],
      ["UNEMP", "Unemployed", true],
      ["LEAVE", "Career break", true],
    ]);
  });

  it("predicts over its codes, with its titles and P(exit the labour force) from its own code for NILF", async () => {
    const res = await predict({ history: [{ year: 2015, occupation: "ENG1" }, { year: 2016, occupation: "LEAVE" }], top_k: 2, full_distribution: true });
    expect(res.status).toBe(200);
    const answer = PredictResponseSchema.parse(await res.json());
    expect(answer.predictions).toEqual([
      { code: "ENG1", title: "Software engineer", probability: 0.4 },
      { code: "ENG2", title: "Senior software engineer", probability: 0.25 },
    ]);
    expect(answer.distribution).toEqual(Object.fromEntries(LABELS.labels.map((l, i) => [l.code, PROBS[i]])));
    expect(answer.p_exit_labor_force).toBe(0.15);
    expect(answer.p_change).toBeCloseTo(0.85, 12);
  });

  it("refuses a code outside its list, and the project's code for a state it renames", async () => {
    const p = await expectProblem(await predict({ history: [{ year: 2015, occupation: "ENG9" }, { year: 2016, occupation: "NILF" }] }), 422);
    expect(pointersOf(p)).toEqual(["/history/0/occupation", "/history/1/occupation"]);
    expect(p.detail).toContain('unknown occupation code "ENG9" for taxonomy custom:acme');
  });

  it("refuses titles and other systems' codes with a 422 that says why (and lists its titles that match)", async () => {
    const p = await expectProblem(await predict({ history: [{ year: 2015, title: "software engineer" }, { year: 2016, code: "15-1252", system: "soc2018" }] }), 422);
    expect(pointersOf(p)).toEqual(["/history/0/title", "/history/1/code"]);
    expect(p.detail).toMatch(/code list of its own \(custom:acme\): the title "software engineer" cannot be read into it/);
    expect(p.detail).toMatch(/soc2018 code "15-1252" cannot be read into it/);
    expect((p as { candidates?: Record<string, { code: string }[]> }).candidates?.["/history/0/title"]?.map((c) => c.code)).toEqual(["ENG1", "ENG2"]);
  });

  it("searches its own titles", async () => {
    const res = await get("/v1/occupations/search?q=soft&model=acme");
    expect(res.status).toBe(200);
    const body = OccupationSearchResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ model: "acme", taxonomy: "custom:acme" });
    expect(body.results.map((r) => r.code)).toEqual(["ENG1", "ENG2"]);
  });
});
