// Free-text titles and other code systems at the edge: history entries given as {title} or {code, system}
// are coded into the model's taxonomy, echoed back, or refused with their best candidates; and the
// autocomplete endpoint. Inside workerd, through the Worker's real entry point.
import { beforeAll, describe, expect, it } from "vitest";
import { PredictResponseSchema } from "../../core/contract.ts";
import { BASE, expectProblem, pointersOf, postJson, smallModelLoaded, worker } from "./helpers.ts";

beforeAll(() => smallModelLoaded());

describe("history entries as titles and codes", () => {
  it("a history of free-text titles is answered, and each title's reading is echoed", async () => {
    const res = await postJson({
      history: [
        { year: 1978, title: "Registered Nurse - ICU nights" },
        { year: 1980, title: "Sr. Software Eng." },
      ],
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = PredictResponseSchema.parse(JSON.parse(text));
    expect(body.understood).toHaveLength(2);
    expect(body.understood![0]).toMatchObject({ index: 0, given: { title: "Registered Nurse - ICU nights" }, code: "1" }); // professional/technical
    for (const u of body.understood!) expect(u.confidence).toBeGreaterThan(0);
    expect(body.predictions.length).toBeGreaterThan(0);
  });

  it("codes of other systems are converted through the crosswalks (synthetic: occ1990dd)", async () => {
    const res = await postJson({
      model: "synthetic",
      history: [
        { year: 2001, code: "29-1141", system: "soc2018" },
        { year: 2003, code: "3255", system: "census2010" },
        { year: 2005, code: "095", system: "census1980" },
        { year: 2007, code: "019", system: "census1980" }, // managers, n.e.c.: occ1990dd 22, not 19 (funeral directors)
      ],
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = PredictResponseSchema.parse(JSON.parse(text));
    expect(body.understood!.map((u) => [u.code, u.title, u.confidence])).toEqual([
      ["95", "Registered nurses", 1],
      ["95", "Registered nurses", 1],
      ["95", "Registered nurses", 1],
      ["22", "Managers and administrators, n.e.c.", 1],
    ]);
  });

  it("an ambiguous title is refused with its best candidates unless a best guess is allowed", async () => {
    // "worker" alone: social workers 21%, sales workers 8%, ... in occ1990dd.
    const question = { history: [{ year: 1980, title: "worker" }], model: "synthetic" };
    const p = await expectProblem(await postJson(question), 422);
    expect(pointersOf(p)).toEqual(["/history/0/title"]);
    expect(p.detail).toMatch(/ambiguous \(low-confidence\)/);
    const listed = (p.candidates as Record<string, { code: string }[]>)["/history/0/title"]!;
    expect(listed.length).toBeGreaterThan(1);
    const guessed = PredictResponseSchema.parse(await (await postJson({ ...question, allow_best_guess: true })).json());
    expect(guessed.understood![0]!.code).toBe(listed[0]!.code);
    expect(guessed.understood![0]!.confidence).toBeLessThan(0.5);
  });

  it("an unknown title, an unknown code and a malformed entry are refused at their pointers", async () => {
    const p = await expectProblem(
      await postJson({
        model: "synthetic",
        history: [
          { year: 1980, title: "zzqx vbnm" },
          { year: 1981, code: "99-9999", system: "soc2018" },
          { year: 1982, code: "29-1141" },
          { year: 1983, title: "nurse", occupation: "095" },
        ],
      }),
      422,
    );
    // Shape errors are reported first (the entries that are not one of the three forms); then the readings.
    expect(pointersOf(p)).toEqual(["/history/2/system", "/history/3"]);
    const read = await expectProblem(
      await postJson({ model: "synthetic", history: [{ year: 1980, title: "zzqx vbnm" }, { year: 1981, code: "99-9999", system: "soc2018" }] }),
      422,
    );
    expect(read.errors).toEqual([
      { pointer: "/history/0/title", detail: 'no occupation of occ1990dd matches the title "zzqx vbnm"' },
      { pointer: "/history/1/code", detail: '"99-9999" is not a soc2018 code' },
    ]);
  });

  it("titles in a batch are refused at /requests/i/history/j/title", async () => {
    const res = await postJson({ requests: [{ history: [{ year: 1980, occupation: "3" }] }, { history: [{ year: 1980, title: "qqqq zzzz" }] }] }, { path: "/v1/predict/batch" });
    const p = await expectProblem(res, 422);
    expect(pointersOf(p)).toEqual(["/requests/1/history/0/title"]);
  });
});

describe("GET /v1/occupations/search", () => {
  it("autocompletes over the model's occupations, with an unfinished last word", async () => {
    const res = await worker.fetch(`${BASE}/v1/occupations/search?q=registered%20nur&model=synthetic&limit=5`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { code: string; title: string }[] };
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.length).toBeLessThanOrEqual(5);
    expect(body.results[0]!.title.toLowerCase()).toContain("nurse");
  });

  it("refuses an empty query, a bad limit and an unknown model", async () => {
    const p = await expectProblem(await worker.fetch(`${BASE}/v1/occupations/search?q=&limit=0&model=nope`), 422);
    expect((p.invalid_params as { parameter: string }[]).map((x) => x.parameter)).toEqual(["q", "limit", "model"]);
  });
});
