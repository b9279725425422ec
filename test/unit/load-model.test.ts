// The shipped model read from disk (as the origin and the scripts will): verified, then usable.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../core/load-model.ts";
import { ArtifactIntegrityError } from "../../core/model-artifact.ts";
import { buildPredictResponse, predictionContext } from "../../core/predict-response.ts";
import { parsePredictRequest } from "../../core/validate-request.ts";

const dir = new URL("../../model/nlswork/", import.meta.url).pathname;
const files = Object.fromEntries(readdirSync(dir).map((name) => [name, new Uint8Array(readFileSync(path.join(dir, name)))]));

describe("loadModel (model/nlswork)", () => {
  it("verifies the artifact and predicts a distribution", async () => {
    const model = await loadModel(files, "nlswork");
    expect(model.name).toBe("nlswork");
    const parsed = parsePredictRequest({ history: [{ year: 1978, occupation: "3" }, { year: 1980, occupation: "4" }], full_distribution: true });
    const ctx = predictionContext(parsed, model.manifest);
    const response = buildPredictResponse({ model: model.name, servedBy: "origin", engine: `baseline:${model.predictor.name}`, labels: model.labels, request: parsed, nextYear: ctx.nextYear, probs: model.predictor.predict(ctx) });
    expect(response.next_year).toBe(1980 + model.manifest.step_years);
    expect(Object.values(response.distribution!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it("refuses a file whose bytes differ from the manifest", async () => {
    const altered = new Uint8Array(files["predictor.json"]!);
    altered[10]! ^= 1;
    await expect(loadModel({ ...files, "predictor.json": altered }, "nlswork")).rejects.toThrow(ArtifactIntegrityError);
    await expect(loadModel({ ...files, "predictor.json": altered }, "nlswork")).rejects.toThrow(/predictor\.json does not match/);
  });

  it("refuses a manifest that is not one", async () => {
    await expect(loadModel({ ...files, "manifest.json": new TextEncoder().encode('{"name": 3}') })).rejects.toThrow(/manifest\.json has missing or invalid/);
  });
});
