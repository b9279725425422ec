// Prediction equivalents at the edge: `equivalents: "soc2018" | "onet-soc" | "isco08" | "census2018"` makes
// each prediction list its occupation's codes in that system (core/titles/equivalents.ts), for POST
// /v1/predict and each question of a batch; the probabilities stay the model's; the response cache keeps
// answers with and without equivalents apart; a model whose labels no crosswalk reaches is refused at
// /equivalents. Inside workerd, through the Worker's real entry point.
import { beforeAll, describe, expect, it } from "vitest";
import { PredictBatchResponseSchema, PredictResponseSchema, type PredictResponse } from "../../core/contract.ts";
import { loadModel } from "../../core/load-model.ts";
import { isSpecialState } from "../../core/taxonomy.ts";
import { EQUIVALENT_SYSTEMS, equivalentsOf, MAX_EQUIVALENTS } from "../../core/titles/index.ts";
import { createApp } from "../../functions/app.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";
import { expectProblem, pointersOf, postJson, smallModelLoaded, THREE_YEARS } from "./helpers.ts";

beforeAll(() => smallModelLoaded());

/** A career of registered nurses, given as SOC 2018 codes (occ1990dd 95 for the synthetic model). */
const NURSE_YEARS = [
  { year: 2012, code: "29-1141", system: "soc2018" },
  { year: 2014, code: "29-1141", system: "soc2018" },
  { year: 2016, code: "29-1141", system: "soc2018" },
];

async function answer(body: unknown): Promise<{ res: Response; body: PredictResponse }> {
  const res = await postJson(body);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { res, body: PredictResponseSchema.parse(JSON.parse(text)) };
}

/** Every prediction lists what core/titles lists for its label (the same module, run in workerd). */
function expectEquivalents(body: PredictResponse, taxonomy: string, system: (typeof EQUIVALENT_SYSTEMS)[number]): void {
  for (const p of body.predictions) {
    expect(p.equivalents, p.code).toEqual(equivalentsOf(p.code, { taxonomy, system }));
    expect(p.equivalents!.codes.length).toBeLessThanOrEqual(Math.min(MAX_EQUIVALENTS, p.equivalents!.total));
    if (isSpecialState(p.code)) expect(p.equivalents).toEqual({ system, total: 0, codes: [] });
  }
}

describe("POST /v1/predict with equivalents", () => {
  it("nlswork: each of the 13 groups lists at most 10 SOC 2018 codes with the total; the probabilities are the same as without", async () => {
    const question = { history: THREE_YEARS, top_k: 13 };
    const { body } = await answer({ ...question, equivalents: "soc2018" });
    const { body: plain } = await answer(question);
    expect(body.engine).toBe("small");
    expect(body.predictions.map(({ code, title, probability }) => ({ code, title, probability }))).toEqual(plain.predictions);
    expect(plain.predictions.every((p) => p.equivalents === undefined)).toBe(true);
    expectEquivalents(body, "nlswork", "soc2018");
    const professional = body.predictions.find((p) => p.code === "1")!.equivalents!;
    expect(professional.total).toBeGreaterThan(MAX_EQUIVALENTS);
    expect(professional.codes).toHaveLength(MAX_EQUIVALENTS);
    expect(body.predictions.find((p) => p.code === "13")!.equivalents).toEqual({ system: "soc2018", total: 0, codes: [] }); // "Other"
  });

  it("synthetic (occ1990dd): registered nurses in SOC 2018, O*NET-SOC, Census 2018 and ISCO-08; special states list nothing", async () => {
    const first: Record<string, unknown> = {};
    for (const system of EQUIVALENT_SYSTEMS) {
      const { body } = await answer({ model: "synthetic", history: NURSE_YEARS, top_k: 50, equivalents: system });
      expectEquivalents(body, "occ1990dd", system);
      first[system] = body.predictions.find((p) => p.code === "95")?.equivalents?.codes[0];
      expect(body.predictions.some((p) => isSpecialState(p.code)), "a special state among the 50").toBe(true);
    }
    expect(first).toEqual({
      soc2018: { code: "29-1141", title: "Registered Nurses", weight: 1 },
      "onet-soc": { code: "29-1141.00", title: "Registered Nurses", weight: 1 },
      census2018: { code: "3255", title: "Registered nurses", weight: 1 },
      isco08: expect.objectContaining({ code: "2221", title: "Nursing professionals" }),
    });
  });

  it("the response cache keeps an answer with equivalents apart from one without", async () => {
    const question = { history: [{ year: 1969, occupation: "6" }, { year: 1971, occupation: "7" }], top_k: 2 };
    const a = await answer({ ...question, equivalents: "census2018" });
    expect(a.res.headers.get("x-cache")).toBe("MISS");
    const b = await answer(question);
    expect(b.res.headers.get("x-cache")).toBe("MISS");
    expect(b.body.predictions[0]!.equivalents).toBeUndefined();
    const c = await answer({ ...question, equivalents: "isco08" });
    expect(c.res.headers.get("x-cache")).toBe("MISS");
    expect(c.body.predictions[0]!.equivalents!.system).toBe("isco08");
    const again = await answer({ equivalents: "census2018", ...question });
    expect(again.res.headers.get("x-cache")).toBe("HIT");
    expect(again.body.predictions).toEqual(a.body.predictions);
  });
});

describe("POST /v1/predict/batch with equivalents", () => {
  it("each question gets the equivalents it asked for, and only those", async () => {
    const res = await postJson(
      {
        requests: [
          { history: THREE_YEARS, equivalents: "isco08", top_k: 3 },
          { history: THREE_YEARS, top_k: 3 },
          { model: "synthetic", history: NURSE_YEARS, equivalents: "census2018" },
        ],
      },
      { path: "/v1/predict/batch" },
    );
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const { results } = PredictBatchResponseSchema.parse(JSON.parse(text));
    expectEquivalents(results[0]!, "nlswork", "isco08");
    expect(results[1]!.predictions.every((p) => p.equivalents === undefined)).toBe(true);
    expectEquivalents(results[2]!, "occ1990dd", "census2018");
    expect(results[2]!.predictions.some((p) => p.equivalents!.total > 0)).toBe(true);
  });
});

describe("refusals", () => {
  it("a system not offered is refused at /equivalents (and /requests/i/equivalents in a batch)", async () => {
    const p = await expectProblem(await postJson({ history: THREE_YEARS, equivalents: "soc2010" }), 422);
    expect(p.errors).toEqual([{ pointer: "/equivalents", detail: "equivalents are offered in soc2018, onet-soc, isco08, census2018 (current editions only)" }]);
    const batch = await expectProblem(await postJson({ requests: [{ history: THREE_YEARS }, { history: THREE_YEARS, equivalents: "esco" }] }, { path: "/v1/predict/batch" }), 422);
    expect(pointersOf(batch)).toEqual(["/requests/1/equivalents"]);
  });

  it("a model whose labels are its own code list (custom:NAME) is refused at /equivalents, saying why", async () => {
    // The nlswork model's files, described with a label set under a code-list id no crosswalk knows.
    const registry = edgeModelRegistry(ALL_MODELS, {
      verify: async (files, name) => {
        const model = await loadModel(files, name);
        return { ...model, labels: Object.defineProperty(Object.create(model.labels) as typeof model.labels, "taxonomy", { value: "custom:acme" }) };
      },
    });
    const app = createApp(registry);
    const env = { DEFAULT_MODEL: "nlswork", CACHE_TTL_SECONDS: "0" };
    const post = (body: unknown, path = "/v1/predict") => app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, env);
    const p = await expectProblem(await post({ history: THREE_YEARS, equivalents: "soc2018" }), 422);
    expect(p.type).toBe("https://labor-llm-edge.dev/problems/invalid-request");
    expect(p.pointer).toBe("/equivalents");
    expect(p.detail).toBe(
      "/equivalents: the model's labels are its own code list (custom:acme), which no crosswalk links to soc2018: equivalents need a model of a built-in taxonomy (occ1990dd, nlswork, isco08)",
    );
    const batch = await expectProblem(await post({ requests: [{ history: THREE_YEARS }, { history: THREE_YEARS, equivalents: "isco08" }] }, "/v1/predict/batch"), 422);
    expect(pointersOf(batch)).toEqual(["/requests/1/equivalents"]);
  });
});
