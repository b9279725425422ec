// Model bytes are verified against the manifest before use: altered, missing or unreadable files make the
// model unavailable (503 problem+json with the reason), never a wrong answer. The bundled files cannot be
// altered in place, so these tests build the app over altered copies of the bundled bytes.
import { describe, expect, it } from "vitest";
import { loadModel, type ModelFiles } from "../../core/load-model.ts";
import { createApp } from "../../functions/app.ts";
import { edgeModelRegistry } from "../../functions/models/edge-model.ts";
import { ALL_MODELS } from "../../functions/models/all.js";
import { THREE_YEARS, expectProblem } from "./helpers.ts";

const shipped = ALL_MODELS["nlswork"]!;
const env = { DEFAULT_MODEL: "nlswork" };

function withFile(name: string, bytes: ArrayBuffer | undefined): ModelFiles {
  const files: Record<string, ArrayBuffer> = { ...shipped };
  if (bytes === undefined) delete files[name];
  else files[name] = bytes;
  return files;
}

function flipByte(bytes: ArrayBuffer, at: number): ArrayBuffer {
  const copy = new Uint8Array(bytes.slice(0));
  copy[at] = copy[at]! ^ 0x01;
  return copy.buffer;
}

const predict = (files: ModelFiles) =>
  createApp(edgeModelRegistry({ nlswork: files })).request(
    "/v1/predict",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ history: THREE_YEARS }) },
    env,
  );

describe("model integrity", () => {
  it("the bundled files are the exact bytes the manifest describes", async () => {
    for (const bytes of Object.values(shipped)) expect(bytes).toBeInstanceOf(ArrayBuffer);
    const model = await loadModel(shipped, "nlswork");
    expect(model.labels.size).toBeGreaterThanOrEqual(13);
  });

  it("503 naming the file when the predictor bytes are altered", async () => {
    const tampered = withFile("predictor.json", flipByte(shipped["predictor.json"]!, 20));
    const p = await expectProblem(await predict(tampered), 503);
    expect(p.type).toMatch(/model-unavailable$/);
    expect(p.detail).toMatch(/predictor\.json does not match its manifest/);
  });

  it("503 when the labels are altered, or a file is missing", async () => {
    expect((await expectProblem(await predict(withFile("labels.json", flipByte(shipped["labels.json"]!, 30))), 503)).detail).toMatch(/labels\.json/);
    expect((await expectProblem(await predict(withFile("predictor.json", undefined)), 503)).detail).toMatch(/predictor\.json is missing/);
    expect((await expectProblem(await predict(withFile("manifest.json", new TextEncoder().encode("{").buffer as ArrayBuffer)), 503)).detail).toMatch(/not valid JSON/);
  });

  it("health reports a model that failed verification", async () => {
    const app = createApp(edgeModelRegistry({ nlswork: withFile("predictor.json", flipByte(shipped["predictor.json"]!, 5)) }));
    const body = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ history: THREE_YEARS }) };
    expect((await app.request("/v1/predict", body, env)).status).toBe(503);
    const health = (await (await app.request("/health", {}, env)).json()) as { status: string; models: { state: string }[] };
    expect(health.status).toBe("degraded");
    expect(health.models[0]!.state).toBe("failed");
  });

  it("verifies once per isolate and reuses the loaded model", async () => {
    let loads = 0;
    const registry = edgeModelRegistry({ nlswork: shipped }, {
      verify: (files, name) => {
        loads++;
        return loadModel(files, name);
      },
    });
    const [a, b] = await Promise.all([registry.get("nlswork"), registry.get("nlswork")]);
    expect(await registry.get("nlswork")).toBe(a);
    expect(b).toBe(a);
    expect(loads).toBe(1);
    expect(registry.state("nlswork")).toBe("ready");
  });
});
