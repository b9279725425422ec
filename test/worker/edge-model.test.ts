// The small model inside workerd: onnxruntime-web (wasm) on the bundled ONNX bytes, @huggingface/tokenizers
// on the bundled tokenizer.json, the shared resume text. It answers what PyTorch computed at export for the
// same people, it is created once per isolate, and altered files make the model unavailable.
import { describe, expect, it } from "vitest";
import { PredictResponseSchema, type PredictRequestInput } from "../../core/contract.ts";
import type { ModelFiles } from "../../core/load-model.ts";
import { createApp } from "../../functions/app.ts";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import REFERENCE from "./fixtures/reference-requests.json";
import { THREE_YEARS, expectProblem, postJson, smallModelLoaded } from "./helpers.ts";

const cases = REFERENCE as unknown as Record<string, { request: PredictRequestInput; probs: number[] }[]>;
const shipped = ALL_MODELS["nlswork"]!;
const env = { DEFAULT_MODEL: "nlswork", WARMUP_POLICY: "wait" };
const post = (app: ReturnType<typeof createApp>, body: unknown) =>
  app.request("/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, env);

function flipByte(bytes: ArrayBuffer, at: number): ArrayBuffer {
  const copy = new Uint8Array(bytes.slice(0));
  copy[at] = copy[at]! ^ 0x01;
  return copy.buffer;
}

describe("small model in the Worker", () => {
  for (const [model, list] of Object.entries(cases)) {
    it(`${model}: the distributions PyTorch computed for ${list.length} reference questions`, async () => {
      expect(list.length).toBeGreaterThan(0);
      await smallModelLoaded(list[0]!.request);
      for (const { request, probs } of list) {
        const res = await postJson(request);
        const body = PredictResponseSchema.parse(await res.json());
        expect(body).toMatchObject({ model, served_by: "edge", engine: "small" });
        expect(body.degraded).toBeUndefined();
        const labels = Object.keys(body.distribution!);
        expect(labels).toHaveLength(probs.length);
        // float32 in both runtimes: 1e-5 absolute is far above their differences (~4e-7) and far below any real change.
        labels.forEach((code, i) => expect(Math.abs(body.distribution![code]! - probs[i]!)).toBeLessThan(1e-5));
        expect(body.predictions[0]!.probability).toBe(Math.max(...probs.map((_, i) => body.distribution![labels[i]!]!)));
      }
    });
  }

  it("reports its timing, and the session is created once per isolate", async () => {
    const registry = edgeModelRegistry({ nlswork: shipped });
    const [a, b] = await Promise.all([registry.get("nlswork"), registry.get("nlswork")]);
    expect(a.small).toBeDefined();
    expect(b.small).toBe(a.small);
    expect(a.loadTimings).toMatchObject({ session_ms: expect.any(Number), first_run_ms: expect.any(Number) });
    const body = PredictResponseSchema.parse(await (await post(createApp(registry), { history: THREE_YEARS })).json());
    expect(body.engine).toBe("small");
    expect(body.timing!.model_ms).toBeGreaterThanOrEqual(0);
    expect(body.timing!.total_ms).toBeGreaterThanOrEqual(body.timing!.model_ms);
  });

  // The Worker tests run with no origin: this checks the decision only. That such a request is then answered
  // by a real origin is test/e2e/routing-faults.test.ts ("automatic escalation").
  it('ESCALATE_UNSEEN_TOKENS: a question the small model never saw the like of in training is routed as "unseen"; with no origin configured, the edge answers it', async () => {
    const app = createApp(edgeModelRegistry({ nlswork: shipped }));
    const strict = { ...env, ESCALATE_UNSEEN_TOKENS: "true" };
    const ask = async (body: unknown) =>
      PredictResponseSchema.parse(await (await app.request("/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, strict)).json());
    // Survey years only (1978, 1980, 1982 -> 1983): every year and occupation was in the training data.
    expect((await ask({ history: THREE_YEARS, next_year: 1983 })).route).toMatchObject({ reason: "edge" });
    // nlswork ends in 1988: 2015 is a year the small model never saw.
    const unseen = await ask({ history: [{ year: 2015, occupation: "3" }] });
    expect(unseen).toMatchObject({ served_by: "edge", engine: "small", route: { reason: "unseen", detail: expect.stringMatching(/^\d+ (year\(s\) or occupation\(s\)|token\(s\)).*no origin is configured/) } });
  });

  it("503 naming the file when any file the edge runs (the ONNX model among them) is altered", async () => {
    const names = Object.keys(shipped).filter((f) => f !== "manifest.json");
    expect(names).toContain("small.onnx");
    for (const file of names) {
      const files: ModelFiles = { ...shipped, [file]: flipByte(shipped[file]!, 100) };
      const p = await expectProblem(await post(createApp(edgeModelRegistry({ nlswork: files })), { history: THREE_YEARS }), 503);
      expect(p.detail).toContain(`${file} does not match its manifest`);
    }
  });

  it("a history longer than the small model's context is answered by the baseline, marked degraded", async () => {
    // The manifest is not hashed by itself: a copy with a tiny context makes any history too long.
    const manifest = JSON.parse(new TextDecoder().decode(shipped["manifest.json"]!));
    manifest.language_models.small.max_tokens = 2; // years: THREE_YEARS has 3
    const files: ModelFiles = { ...shipped, "manifest.json": new TextEncoder().encode(JSON.stringify(manifest)) };
    const res = await post(createApp(edgeModelRegistry({ nlswork: files })), { history: THREE_YEARS });
    const body = PredictResponseSchema.parse(await res.json());
    expect(res.status).toBe(200);
    expect(body.engine).toMatch(/^baseline:/);
    expect(body.degraded).toBe(true);
    expect(body.reason).toMatch(/reads at most 2/);
  });

  it.each([
    ["whose build chose the baseline on the validation people", (small: Record<string, unknown>) => {
      small.served = false;
      small.selection = { small_validation_nll: 1.1, baseline: "ngram", baseline_validation_nll: 1.0 };
    }],
    // Built before the career input: its small model read the resume's tokens, which the edge no longer runs.
    ["whose small model reads resume tokens", (small: Record<string, unknown>) => void (small.input = "tokens")],
    ["that does not say its small model's input", (small: Record<string, unknown>) => void delete small.input],
  ])("a folder %s is answered by its baseline, as the chosen engine, not a fallback", async (_, change) => {
    const manifest = JSON.parse(new TextDecoder().decode(shipped["manifest.json"]!));
    change(manifest.language_models.small);
    const files: ModelFiles = { ...shipped, "manifest.json": new TextEncoder().encode(JSON.stringify(manifest)).buffer as ArrayBuffer };
    const app = createApp(edgeModelRegistry({ nlswork: files }));
    for (const policy of ["wait", "baseline"]) {
      const res = await app.request("/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ history: THREE_YEARS }) }, { ...env, WARMUP_POLICY: policy });
      const body = PredictResponseSchema.parse(await res.json());
      expect(body.engine.startsWith(manifest.kind), `${body.engine} answered, not ${manifest.kind}`).toBe(true);
      expect(body.degraded).toBeUndefined();
      expect(body.reason).toBeUndefined();
    }
    const models = (await (await app.request("/v1/models", {}, env)).json()) as { models: { name: string; engine: string }[] };
    expect(models.models.find((m) => m.name === "nlswork")!.engine).toBe(manifest.kind);
  });
});

