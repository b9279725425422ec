// The rest of the edge API inside workerd: batch prediction, the model catalogue, the label lists, the
// response cache and the cold-start timings, through the Worker's real entry point.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH, PredictBatchResponseSchema, PredictResponseSchema } from "../../core/contract.ts";
import { createApp } from "../../functions/app.ts";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import { BASE, THREE_YEARS, expectProblem, pointersOf, postJson, smallModelLoaded, worker } from "./helpers.ts";

beforeAll(() => smallModelLoaded());

const batch = (body: unknown) => postJson(body, { path: "/v1/predict/batch" });

describe("POST /v1/predict/batch", () => {
  it("answers every question as /v1/predict would, in order", async () => {
    const questions = [{ history: THREE_YEARS }, { history: THREE_YEARS.slice(0, 1), top_k: 2, full_distribution: true }];
    const res = await batch({ requests: questions });
    expect(res.status).toBe(200);
    const body = PredictBatchResponseSchema.parse(await res.json());
    expect(body.results).toHaveLength(2);
    expect(body.results[1]!.predictions).toHaveLength(2);
    expect(Object.keys(body.results[1]!.distribution!)).toHaveLength(13);
    const single = PredictResponseSchema.parse(await (await postJson(questions[0])).json());
    expect(body.results[0]!.predictions).toEqual(single.predictions);
  });

  it("refuses the whole batch with every error pointing into its question", async () => {
    const res = await batch({
      requests: [{ history: THREE_YEARS }, { history: [{ year: 1980, occupation: "nope" }] }, { history: THREE_YEARS, model: "gpt" }],
    });
    const p = await expectProblem(res, 422);
    expect(pointersOf(p)).toEqual(["/requests/1/history/0/occupation", "/requests/2/model"]);
  });

  it("refuses an empty batch, an oversized one, and wrongly typed questions", async () => {
    expect(pointersOf(await expectProblem(await batch({ requests: [] }), 422))).toEqual(["/requests"]);
    const tooMany = Array.from({ length: MAX_BATCH + 1 }, () => ({ history: THREE_YEARS }));
    const p = await expectProblem(await batch({ requests: tooMany }), 422);
    expect(p.detail).toContain(`1 to ${MAX_BATCH}`);
    expect(pointersOf(await expectProblem(await batch({ requests: [{ history: "x" }] }), 422))).toEqual(["/requests/0/history"]);
    expect(pointersOf(await expectProblem(await batch({ questions: [] }), 422))).toContain("/questions");
  });

  it("413 past its body limit, 405 for GET", async () => {
    await expectProblem(await batch("[" + " ".repeat(300 * 1024) + "]"), 413);
    const res = await worker.fetch(`${BASE}/v1/predict/batch`);
    await expectProblem(res, 405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("GET /v1/models and /v1/occupations", () => {
  it("lists the models with taxonomy, label count and the metrics of their manifest", async () => {
    const res = await worker.fetch(`${BASE}/v1/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { default_model: string; models: Record<string, unknown>[] };
    expect(body.default_model).toBe("nlswork");
    const nlswork = body.models.find((m) => m.name === "nlswork")!;
    expect(nlswork).toMatchObject({ available: true, default: true, taxonomy: "nlswork", labels: 13, engine: "small" });
    expect((nlswork.metrics as Record<string, { perplexity: number }>)["small (edge)"]!.perplexity).toBeGreaterThan(1);
  });

  it("lists a model's labels in output order, and refuses an unknown model", async () => {
    const body = (await (await worker.fetch(`${BASE}/v1/occupations?model=nlswork`)).json()) as { occupations: { code: string; title: string }[] };
    expect(body.occupations).toHaveLength(13);
    expect(body.occupations.every((o) => o.title.length > 0)).toBe(true);
    const p = await expectProblem(await worker.fetch(`${BASE}/v1/occupations?model=nope`), 422);
    expect(p.detail).toContain("nlswork");
  });
});

describe("response cache and timings", () => {
  it("answers an identical question (any key order) from the cache", async () => {
    const history = [{ year: 1971, occupation: "2" }, { year: 1973, occupation: "2" }];
    const first = await postJson({ history, top_k: 3 });
    expect(first.headers.get("x-cache")).toBe("MISS");
    const again = await postJson({ top_k: 3, history: history.map((h) => ({ occupation: h.occupation, year: h.year })) });
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(await again.json()).toEqual(await first.json());
    const other = await postJson({ history, top_k: 4 });
    expect(other.headers.get("x-cache")).toBe("MISS");
  });

  it("a batch goes through the same pipeline: its questions are answered from the cache as single ones are", async () => {
    const history = [{ year: 1969, occupation: "2" }, { year: 1971, occupation: "5" }];
    const first = await batch({ requests: [{ history, top_k: 2 }] });
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("server-timing")).toContain("edge");
    // The single request finds the batch's answer in the cache, and a batch of it finds the single one's.
    const single = await postJson({ top_k: 2, history });
    expect(single.headers.get("x-cache")).toBe("HIT");
    const again = await batch({ requests: [{ history, top_k: 2 }, { history, top_k: 2 }] });
    expect(again.headers.get("x-cache")).toBe("HIT");
    const [a, b] = PredictBatchResponseSchema.parse(await again.json()).results;
    const answered = PredictResponseSchema.parse(await single.json());
    for (const r of [a!, b!]) expect({ ...r, timing: undefined }).toEqual({ ...answered, timing: undefined });
  });

  it("WARMUP_POLICY wait: a batch that loads a model reports the cold start phases in Server-Timing", async () => {
    const app = createApp(edgeModelRegistry(ALL_MODELS));
    const res = await app.request("/v1/predict/batch", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requests: [{ history: [{ year: 1966, occupation: "7" }, { year: 1968, occupation: "8" }] }] }) }, { DEFAULT_MODEL: "nlswork", WARMUP_POLICY: "wait" });
    expect(PredictBatchResponseSchema.parse(await res.json()).results[0]!.engine).toBe("small");
    for (const phase of ["load-verify", "load-session", "load-first-run", "edge", "total"]) expect(res.headers.get("server-timing")).toContain(phase);
  });

  const question = (occupation: string) => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ history: [{ year: 1990, occupation }] }),
  });

  it("WARMUP_POLICY wait: the request that loads a model waits, and reports the cold start phases in Server-Timing", async () => {
    const app = createApp(edgeModelRegistry(ALL_MODELS));
    const env = { DEFAULT_MODEL: "nlswork", WARMUP_POLICY: "wait" };
    const res = await app.request("/v1/predict", question("5"), env);
    expect(PredictResponseSchema.parse(await res.json()).engine).toBe("small");
    const cold = res.headers.get("server-timing")!;
    for (const phase of ["load-verify", "load-session", "load-first-run", "edge", "total"]) expect(cold).toContain(phase);
    const warm = (await app.request("/v1/predict", question("6"), env)).headers.get("server-timing")!;
    expect(warm).not.toContain("load-session");
    expect(warm).toContain("edge");
  });

  it("WARMUP_POLICY baseline (the default): the cold request is answered at once by the baseline, then the small model takes over", async () => {
    const registry = edgeModelRegistry(ALL_MODELS);
    const app = createApp(registry);
    const env = { DEFAULT_MODEL: "nlswork" };
    const cold = PredictResponseSchema.parse(await (await app.request("/v1/predict", question("7"), env)).json());
    expect(cold).toMatchObject({ engine: expect.stringMatching(/^baseline:/), degraded: true, reason: expect.stringMatching(/cold start/) });
    await registry.get("nlswork");
    const warm = PredictResponseSchema.parse(await (await app.request("/v1/predict", question("7"), env)).json());
    expect(warm.engine).toBe("small");
    expect(warm.degraded).toBeUndefined();
  });
});
