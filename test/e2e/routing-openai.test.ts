// The edge's OpenAI-compatible origin client against a real completions server: the Worker with
// ORIGIN_PROTOCOL=openai in front of our origin's /v1/completions (the subset vLLM and SGLang serve). Its
// answer for model "large" is the served model's own distribution: the origin's native answer for the same
// question is that distribution calibrated by the folder's fit (which belongs to the folder's large.onnx, not
// to whatever model a completions server runs).
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_ORIGIN_SECRET, ORIGIN_SECRET_HEADER } from "../../core/origin-protocol.ts";
import { calibrateStayMove } from "../../core/calibration.ts";
import { PredictResponseSchema } from "../../core/contract.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startOrigin, type OriginProcess } from "../../scripts/lib/origin-process.ts";
import { folderWorkerArgs, repoModel } from "../../scripts/lib/folder-worker.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";

let origin: OriginProcess, dev: WranglerDev;
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(repoModel("nlswork").nlswork!, "manifest.json"), "utf8"));
const question = { history: [{ year: 1975, occupation: "1" }, { year: 1977, occupation: "2" }], person: { birth_year: 1950, race: "white" }, full_distribution: true };

beforeAll(async () => {
  origin = await startOrigin({ args: ["--model", "nlswork"] });
  const nlswork = folderWorkerArgs(mkdtempSync(path.join(tmpdir(), "routing-openai-")), repoModel("nlswork"));
  dev = await startWranglerDev({ args: [...nlswork, "--var", `ORIGIN_URL:${origin.base}`, "--var", "ORIGIN_PROTOCOL:openai", "--var", "WARMUP_POLICY:wait", "--var", "CACHE_TTL_SECONDS:0"] });
}, 120_000);

afterAll(async () => {
  await dev?.stop();
  await origin?.stop();
});

it("model large through OpenAI completions scoring is the model's own distribution, which the origin's native answer calibrates", async () => {
  const viaEdge = PredictResponseSchema.parse(
    await (await fetch(`${dev.base}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...question, model: "large" }) })).json(),
  );
  expect(viaEdge).toMatchObject({ served_by: "origin", engine: "large", route: { reason: "requested" } });
  expect(viaEdge.degraded).toBeUndefined();
  const native = PredictResponseSchema.parse(
    await (
      await fetch(`${origin.base}/v1/predict`, {
        method: "POST",
        headers: { "content-type": "application/json", [ORIGIN_SECRET_HEADER]: DEV_ORIGIN_SECRET },
        body: JSON.stringify({ ...question, model: "nlswork" }),
      })
    ).json(),
  );
  const labels = LabelSet.of("nlswork");
  const own = labels.codes.map((code) => viaEdge.distribution![code]!);
  const calibrated = calibrateStayMove(own, labels.index("2"), manifest.language_models!.large.calibration!);
  labels.codes.forEach((code, i) => expect(calibrated[i]).toBeCloseTo(native.distribution![code]!, 4));
  expect(Math.abs(own[labels.index("2")]! - native.distribution!["2"]!)).toBeGreaterThan(1e-3); // the calibration is the difference
  expect(viaEdge.outside_mass).toBeCloseTo(native.outside_mass!, 4);
});
