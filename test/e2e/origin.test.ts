// The large-model origin as a real process (`node origin/main.ts` on loopback): health, the prediction
// contract answered by the large model (the distribution of core/large-model.ts in this process, calibrated), the
// shared secret, every refusal as problem+json, the bounded queue's 503s, and the OpenAI-compatible
// completions subset driven by the official `openai` client, whose token log-probabilities give back the
// native answer.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PredictBatchResponseSchema, PredictResponseSchema, type PredictRequestInput, type PredictResponse } from "../../core/contract.ts";
import { LargeModel } from "../../core/large-model.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { calibrateStayMove } from "../../core/calibration.ts";
import { DEV_ORIGIN_SECRET, ORIGIN_SECRET_HEADER } from "../../core/origin-protocol.ts";
import { predictionContext } from "../../core/predict-response.ts";
import { PredictRequestSchema } from "../../core/contract.ts";
import { continuationText, renderPrompt } from "../../core/resume.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { equivalentsOf } from "../../core/titles/index.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { startOrigin, type OriginProcess } from "../../scripts/lib/origin-process.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { nodeRuntime } from "../../scripts/lib/ort-node.ts";

const SECRET = "e2e-origin-secret";
const dir = new URL("../../model/nlswork", import.meta.url).pathname;
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const lm = manifest.language_models!;
const labels = LabelSet.of("nlswork");

const question: PredictRequestInput = {
  history: [
    { year: 1978, occupation: "3" },
    { year: 1980, occupation: "4" },
    { year: 1982, occupation: "4" },
  ],
  person: { birth_year: 1952, sex: "female", race: "black", education: "high school", region: "south" },
  model: "nlswork",
  full_distribution: true,
};

let origin: OriginProcess;

function post(p: string, body: unknown, headers: Record<string, string> = { [ORIGIN_SECRET_HEADER]: SECRET }, base = origin.base): Promise<Response> {
  return fetch(base + p, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function expectProblem(res: Response, status: number, pointer?: string): Promise<{ detail: string; errors?: { pointer: string }[] }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { detail: string; pointer?: string; errors?: { pointer: string }[] };
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  if (pointer !== undefined) expect(body.pointer).toBe(pointer);
  return body;
}

beforeAll(async () => {
  origin = await startOrigin({ env: { ORIGIN_SECRET: SECRET }, args: ["--model", "nlswork"] });
});
afterAll(async () => {
  await origin?.stop();
});

describe("the origin", () => {
  it("GET /health is open: models, execution provider, queue", async () => {
    const res = await fetch(`${origin.base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      default_model: "nlswork",
      models: [{ name: "nlswork", labels: 13, parameters: lm.large.parameters, max_tokens: lm.large.max_tokens }],
      execution_provider: expect.stringMatching(/^(cpu|cuda)$/),
      queue: { waiting: 0, capacity: 64, in_flight: 0, concurrency: 2 },
    });
    expect(origin.output()).not.toMatch(/development default/); // ORIGIN_SECRET was set
  });

  it("POST /v1/predict: the large model's distribution, served_by origin, engine large, with outside_mass and timing", async () => {
    const res = await post("/v1/predict", question);
    expect(res.status).toBe(200);
    const answer = PredictResponseSchema.parse(await res.json());
    expect(answer).toMatchObject({ model: "nlswork", served_by: "origin", engine: "large", next_year: 1983 });
    expect(answer.predictions).toHaveLength(5);
    expect(answer.timing!.model_ms).toBeGreaterThan(0);
    expect(answer.timing!.total_ms).toBeGreaterThanOrEqual(answer.timing!.model_ms);

    const runtime = await nodeRuntime(path.join(dir, lm.large.file));
    const tokenizer = loadTokenizer(JSON.parse(readFileSync(path.join(dir, lm.tokenizer), "utf8")));
    const large = new LargeModel(runtime, tokenizer, labels, manifest.source, lm.large.max_tokens);
    // The model's distribution, calibrated by the manifest's fit, with the last state "4" as staying.
    const raw = await large.predict(predictionContext(PredictRequestSchema.parse(question), manifest));
    const expected = calibrateStayMove(raw.probs, labels.index("4"), lm.large.calibration!);
    labels.codes.forEach((code, i) => expect(answer.distribution![code]).toBeCloseTo(expected[i]!, 5));
    expect(answer.outside_mass).toBeCloseTo(raw.outsideMass, 5);
    expect(answer.p_change).toBeCloseTo(1 - expected[labels.index("4")]!, 5);
    expect(Math.abs(answer.distribution!["4"]! - raw.probs[labels.index("4")]!)).toBeGreaterThan(1e-3); // the calibration is applied
  });

  it("POST /v1/predict with equivalents: each prediction lists its occupation's codes in the system asked for", async () => {
    const res = await post("/v1/predict", { ...question, full_distribution: false, top_k: 13, equivalents: "onet-soc" });
    expect(res.status).toBe(200);
    const answer = PredictResponseSchema.parse(await res.json());
    for (const p of answer.predictions) expect(p.equivalents, p.code).toEqual(equivalentsOf(p.code, { taxonomy: "nlswork", system: "onet-soc" }));
    await expectProblem(await post("/v1/predict", { ...question, equivalents: "soc2010" }), 422, "/equivalents");
  });

  it("POST /v1/predict/batch answers each question as /v1/predict does, and points errors into /requests/i", async () => {
    const other = { history: [{ year: 1990, occupation: "1" }] };
    const res = await post("/v1/predict/batch", { requests: [question, other] });
    expect(res.status).toBe(200);
    const batch = PredictBatchResponseSchema.parse(await res.json());
    expect(batch.results.map((r) => r.served_by)).toEqual(["origin", "origin"]);
    const single = (await (await post("/v1/predict", question)).json()) as PredictResponse;
    labels.codes.forEach((code) => expect(batch.results[0]!.distribution![code]).toBeCloseTo(single.distribution![code]!, 6));

    const bad = await post("/v1/predict/batch", { requests: [question, { history: [{ year: 1990, occupation: "99" }] }] });
    await expectProblem(bad, 422, "/requests/1/history/0/occupation");
  });

  it("the shared secret: missing 401, wrong 403, as Bearer accepted", async () => {
    const missing = await post("/v1/predict", question, {});
    await expectProblem(missing, 401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectProblem(await post("/v1/predict", question, { [ORIGIN_SECRET_HEADER]: "not-it" }), 403);
    await expectProblem(await post("/v1/predict", question, { authorization: "Bearer not-it" }), 403);
    await expectProblem(await post("/v1/completions", {}, {}), 401);
    expect((await post("/v1/predict", question, { authorization: `Bearer ${SECRET}` })).status).toBe(200);
  });

  it("refusals are problem+json: 413, 415, 400, 422 (model, codes, history past the context), 404, 405", async () => {
    const huge = JSON.stringify({ ...question, padding: "x".repeat(70 * 1024) });
    await expectProblem(await post("/v1/predict", huge), 413);
    const text = await fetch(`${origin.base}/v1/predict`, { method: "POST", headers: { "content-type": "text/plain", [ORIGIN_SECRET_HEADER]: SECRET }, body: "{}" });
    await expectProblem(text, 415);
    await expectProblem(await post("/v1/predict", "{not json"), 400);
    const unknownModel = await expectProblem(await post("/v1/predict", { ...question, model: "psid" }), 422, "/model");
    expect(unknownModel.detail).toMatch(/available: nlswork/);
    await expectProblem(await post("/v1/predict", { history: [{ year: 1990, occupation: "99" }] }), 422, "/history/0/occupation");
    await expectProblem(await post("/v1/predict", { history: [{ year: 1990, occupation: "4" }], top_k: 0 }), 422, "/top_k");
    const long = { history: Array.from({ length: 60 }, (_, i) => ({ year: 1940 + i, occupation: "4" })) };
    const tooLong = await expectProblem(await post("/v1/predict", long), 422, "/history");
    expect(tooLong.detail).toMatch(/tokens; the large model reads at most \d+/);
    await expectProblem(await fetch(`${origin.base}/v1/nothing`, { headers: { [ORIGIN_SECRET_HEADER]: SECRET } }), 404);
    await expectProblem(await fetch(`${origin.base}/v1/predict`, { headers: { [ORIGIN_SECRET_HEADER]: SECRET } }), 405);
  });

  it("the OpenAI completions subset, driven by the openai client: per-label token log-probabilities, calibrated, give the native distribution", async () => {
    const client = new OpenAI({ baseURL: `${origin.base}/v1`, apiKey: SECRET, maxRetries: 0 });
    const request = PredictRequestSchema.parse(question);
    const ctx = predictionContext(request, manifest);
    const prompt = renderPrompt(manifest.source, ctx, labels, ctx.nextYear);
    const prompts = labels.codes.map((code) => prompt + continuationText(labels, code));
    const completion = await client.completions.create({ model: "nlswork", prompt: prompts, echo: true, logprobs: 1, max_tokens: 0 });
    expect(completion).toMatchObject({ object: "text_completion", model: "nlswork", usage: { completion_tokens: 0 } });
    expect(completion.choices).toHaveLength(labels.size);

    const logp = completion.choices.map((choice, i) => {
      expect(choice).toMatchObject({ index: i, text: prompts[i], finish_reason: "length" });
      const { tokens, token_logprobs, text_offset } = choice.logprobs!;
      expect(token_logprobs![0]).toBeNull();
      expect(tokens!.join("")).toBe(prompts[i]);
      expect(text_offset).toContain(prompt.length); // a token starts exactly where the label's continuation does
      return text_offset!.reduce((sum, offset, j) => (offset >= prompt.length ? sum + token_logprobs![j]! : sum), 0);
    });
    expect(completion.usage!.prompt_tokens).toBe(completion.choices.reduce((n, c) => n + c.logprobs!.tokens!.length, 0));
    const max = Math.max(...logp);
    const weights = logp.map((v) => Math.exp(v - max));
    const total = weights.reduce((a, b) => a + b, 0);

    // The completions give the language model's own probabilities; the native answer is their calibration.
    const native = (await (await post("/v1/predict", question)).json()) as PredictResponse;
    const calibrated = calibrateStayMove(weights.map((w) => w / total), labels.index("4"), lm.large.calibration!);
    labels.codes.forEach((code, i) => expect(calibrated[i]!).toBeCloseTo(native.distribution![code]!, 4));
    expect(1 - total * Math.exp(max)).toBeCloseTo(native.outside_mass!, 4);
  });

  it("the completions subset refuses what it cannot do, with a problem naming the field", async () => {
    const client = new OpenAI({ baseURL: `${origin.base}/v1`, apiKey: SECRET, maxRetries: 0 });
    const refused = (body: Record<string, unknown>) =>
      client.completions.create({ model: "nlswork", prompt: "Resume from nlswork\n", echo: true, logprobs: 1, max_tokens: 0, ...body } as never).then(
        () => undefined,
        (e: InstanceType<typeof OpenAI.APIError>) => ({ status: e.status, param: e.param }),
      );
    expect(await refused({ max_tokens: 16 })).toEqual({ status: 422, param: "max_tokens" });
    expect(await refused({ echo: false })).toEqual({ status: 422, param: "echo" });
    expect(await refused({ logprobs: 6 })).toEqual({ status: 422, param: "logprobs" });
    expect(await refused({ model: "gpt-4" })).toEqual({ status: 422, param: "model" });
    expect(await refused({ prompt: "" })).toEqual({ status: 422, param: "prompt" });
    expect(await refused({ prompt: "1990: Sales\n".repeat(200) })).toEqual({ status: 422, param: "prompt" });
    // What OpenAI clients send besides is accepted and ignored.
    const ok = await client.completions.create({ model: "nlswork", prompt: "Resume from nlswork\n", echo: true, logprobs: 0, max_tokens: 0, temperature: 0, n: 1, stream: false, user: "edge" });
    expect(ok.choices[0]!.logprobs!.token_logprobs!.slice(1).every((v) => typeof v === "number" && v <= 0)).toBe(true);
    await expectProblem(await post("/v1/completions", "[1,"), 400);
  });
});

describe("the origin's bounded queue", () => {
  let busy: OriginProcess;
  beforeAll(async () => {
    busy = await startOrigin({ env: { ORIGIN_SECRET: SECRET, ORIGIN_CONCURRENCY: "1", ORIGIN_MAX_QUEUE: "1" }, args: ["--model", "nlswork"] });
  });
  afterAll(async () => {
    await busy?.stop();
  });

  it("past one run and one waiting request, requests are refused at once with 503 and Retry-After: 1; /health still answers", async () => {
    const headers = { [ORIGIN_SECRET_HEADER]: SECRET };
    // One long prompt scored token by token keeps the single model thread busy for a while (about r^2 / 2
    // token positions for r tokens).
    const history = Array.from({ length: 28 }, (_, i) => ({ year: 1950 + i, occupation: "4" }));
    const long = renderPrompt(manifest.source, { person: {}, history }, labels, 1990);
    const heavy = post("/v1/completions", { model: "nlswork", prompt: long, echo: true, logprobs: 0, max_tokens: 0 }, headers, busy.base);
    const health = async () => (await (await fetch(`${busy.base}/health`)).json()) as { queue: Record<string, number> };
    for (let i = 0; i < 100 && (await health()).queue.in_flight === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await health()).queue).toMatchObject({ in_flight: 1, concurrency: 1, capacity: 1 }); // the HTTP thread answers meanwhile

    const responses = await Promise.all(Array.from({ length: 19 }, () => post("/v1/predict", question, headers, busy.base)));
    const statuses = responses.map((r) => r.status);
    expect((await heavy).status).toBe(200);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const res of responses) {
      if (res.status === 503) {
        expect(res.headers.get("retry-after")).toBe("1");
        await expectProblem(res, 503);
      } else await res.arrayBuffer();
    }
    expect((await health()).queue).toEqual({ waiting: 0, capacity: 1, in_flight: 0, concurrency: 1 });
    expect((await post("/v1/predict", question, headers, busy.base)).status).toBe(200);
  });
});

describe("the origin's secret on a public interface", () => {
  it("refuses to start on a non-loopback interface with the public development secret, before loading any model", () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.ORIGIN_SECRET;
    for (const secret of [undefined, DEV_ORIGIN_SECRET]) {
      if (secret) env.ORIGIN_SECRET = secret;
      const run = spawnSync(process.execPath, [repoPath("origin", "main.ts"), "--host", "0.0.0.0", "--port", "0"], { encoding: "utf8", env, timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/failed to start: refusing to listen on 0\.0\.0\.0 with the public development secret/);
      expect(run.stdout).not.toMatch(/listening on/);
    }
  });
});
