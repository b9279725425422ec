// The edge API inside workerd: success paths and every refusal, through the Worker's real entry point.
import { describe, expect, it } from "vitest";
import { PredictResponseSchema } from "../../core/contract.ts";
import { getTaxonomy } from "../../core/taxonomy.ts";
import { BASE, THREE_YEARS, expectProblem, pointersOf, postJson, worker } from "./helpers.ts";

const NLSWORK_CODES = getTaxonomy("nlswork").labels.map((l) => l.code);
const thisYear = new Date().getUTCFullYear();

describe("GET /health", () => {
  it("reports ok and the models served", async () => {
    const res = await worker.fetch(`${BASE}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { status: string; default_model: string; models: { name: string; state: string }[] };
    expect(body.status).toBe("ok");
    expect(body.default_model).toBe("nlswork");
    expect(body.models.map((m) => m.name)).toContain("nlswork");
  });
});

describe("POST /v1/predict", () => {
  it("answers a three-year nlswork history with a full distribution over all labels", async () => {
    const res = await postJson({ history: THREE_YEARS, full_distribution: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = PredictResponseSchema.parse(await res.json());
    expect(body.model).toBe("nlswork");
    expect(body.served_by).toBe("edge");
    expect(body.next_year).toBe(1983); // the panel's next interview after 1982 (nlswork interviewed in 1983)

    const distribution = body.distribution!;
    expect(Object.keys(distribution).sort()).toEqual(expect.arrayContaining([...NLSWORK_CODES].sort()));
    expect(Object.keys(distribution)).toHaveLength(NLSWORK_CODES.length);
    const total = Object.values(distribution).reduce((s, p) => s + p, 0);
    expect(total).toBeCloseTo(1, 9);
    for (const p of Object.values(distribution)) expect(p).toBeGreaterThan(0);

    expect(body.predictions).toHaveLength(5);
    const probs = body.predictions.map((p) => p.probability);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    for (const p of body.predictions) expect(distribution[p.code]).toBe(p.probability);
    expect(body.predictions.every((p) => p.title.length > 0)).toBe(true);
    expect(body.p_change).toBeCloseTo(1 - distribution["4"]!, 12);
  });

  it("honours top_k, next_year and model, and omits the distribution by default", async () => {
    const res = await postJson({ history: THREE_YEARS, top_k: 13, next_year: 1983, model: "nlswork", person: { birth_year: 1955, race: "black" } });
    expect(res.status).toBe(200);
    const body = PredictResponseSchema.parse(await res.json());
    expect(body.next_year).toBe(1983);
    expect(body.predictions).toHaveLength(13);
    expect(body.distribution).toBeUndefined();
    expect(body.predictions.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 9);
  });

  it("accepts a charset parameter and +json media types", async () => {
    expect((await postJson({ history: THREE_YEARS }, { contentType: "application/json; charset=utf-8" })).status).toBe(200);
    expect((await postJson({ history: THREE_YEARS }, { contentType: "application/vnd.labor+json" })).status).toBe(200);
  });
});

describe("refusals are RFC 9457 problem+json", () => {
  it("400 for malformed JSON", async () => {
    const p = await expectProblem(await postJson('{"history": [ {"year": 1978,'), 400);
    expect(p.type).toMatch(/malformed-json$/);
    await expectProblem(await postJson(""), 400);
  });

  it("415 for a body that is not declared JSON", async () => {
    const res = await postJson({ history: THREE_YEARS }, { contentType: "text/plain" });
    const p = await expectProblem(res, 415);
    expect(p.type).toMatch(/unsupported-media-type$/);
    expect(res.headers.get("accept-post")).toBe("application/json");
    await expectProblem(await postJson({ history: THREE_YEARS }, { contentType: null }), 415);
  });

  it("413 for a body over the limit, declared or streamed", async () => {
    const big = JSON.stringify({ history: THREE_YEARS, padding: "x".repeat(70_000) });
    const p = await expectProblem(await postJson(big), 413);
    expect(p.type).toMatch(/body-too-large$/);
    // Without Content-Length: the Worker stops reading after the limit and cancels the stream, which
    // workerd reports on stderr as "disconnected: read end of pipe was aborted" (expected).
    const chunk = new TextEncoder().encode("x".repeat(16_384));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await worker.fetch(`${BASE}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: stream });
    await expectProblem(res, 413);
  });

  it("422 with a pointer for each schema error", async () => {
    const p = await expectProblem(
      await postJson({ history: [{ year: "1978", occupation: 3 }], top_k: 0, extra: true, person: { sex: "x" } }),
      422,
    );
    expect(p.type).toMatch(/invalid-request$/);
    expect(pointersOf(p)).toEqual(expect.arrayContaining(["/history/0/year", "/history/0/occupation", "/top_k", "/extra", "/person/sex"]));
    expect(p.pointer).toBe(p.errors![0]!.pointer);
  });

  it("422 for bodies of the wrong JSON type, never a 500", async () => {
    for (const body of ["null", "[]", '"history"', "42", '{"history": null}', '{"history": []}', '{"history": [{}]}']) {
      const p = await expectProblem(await postJson(body), 422);
      expect(p.errors!.length).toBeGreaterThan(0);
    }
  });

  it("refuses hostile bodies without a 500", async () => {
    const deep = "[".repeat(30_000) + "]".repeat(30_000);
    const cases: [string | Uint8Array, number][] = [
      [deep, 422],
      ['{"history": [{"year": 1e400, "occupation": "3"}]}', 422],
      ['{"__proto__": {"top_k": 50}, "history": [{"year": 1978, "occupation": "3"}]}', 422],
      ['{"history": [{"year": 1978, "occupation": "3", "constructor": 1}]}', 422],
      [JSON.stringify({ history: Array.from({ length: 61 }, (_, i) => ({ year: 1940 + i, occupation: "3" })) }), 422],
      [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 400],
    ];
    for (const [body, status] of cases) {
      const res = await worker.fetch(`${BASE}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body });
      await expectProblem(res, status);
    }
  });

  it("422 pointing at /history/i/year when years do not strictly increase", async () => {
    const history = [...THREE_YEARS.slice(0, 2), { year: 1980, occupation: "4" }];
    const p = await expectProblem(await postJson({ history }), 422);
    expect(pointersOf(p)).toEqual(["/history/2/year"]);
  });

  it("422 for a year after next year, and for next_year not after the last year", async () => {
    const history = [{ year: thisYear, occupation: "3" }, { year: thisYear + 2, occupation: "3" }];
    expect(pointersOf(await expectProblem(await postJson({ history }), 422))).toEqual(["/history/1/year"]);
    expect(pointersOf(await expectProblem(await postJson({ history: THREE_YEARS, next_year: 1982 }), 422))).toEqual(["/next_year"]);
  });

  it("422 listing every unknown occupation code with its pointer", async () => {
    const history = [{ year: 1978, occupation: "3" }, { year: 1980, occupation: "99" }, { year: 1982, occupation: "NILF" }];
    const p = await expectProblem(await postJson({ history }), 422);
    expect(pointersOf(p)).toEqual(["/history/1/occupation", "/history/2/occupation"]);
    expect(p.detail).toContain('"99"');
  });

  it("422 for an unknown model, naming the models served", async () => {
    const p = await expectProblem(await postJson({ history: THREE_YEARS, model: "psid" }), 422);
    expect(p.type).toMatch(/unknown-model$/);
    expect(p.pointer).toBe("/model");
    expect(p.available).toContain("nlswork");
  });

  it("405 for other methods on /v1/predict, 404 elsewhere", async () => {
    const res = await worker.fetch(`${BASE}/v1/predict`);
    await expectProblem(res, 405);
    expect(res.headers.get("allow")).toBe("POST");
    await expectProblem(await worker.fetch(`${BASE}/v2/nothing`), 404);
  });
});
