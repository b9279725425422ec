// The edge's OpenAI-compatible origin client against a real completions server: the Worker with
// ORIGIN_PROTOCOL=openai in front of our origin's /v1/completions (the subset vLLM and SGLang serve). Its
// answer for model "large" must equal the origin's native answer for the same question.
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_ORIGIN_SECRET, ORIGIN_SECRET_HEADER } from "../../core/origin-protocol.ts";
import { PredictResponseSchema } from "../../core/contract.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startOrigin, type OriginProcess } from "../../scripts/lib/origin-process.ts";
import { folderWorkerArgs, repoModel } from "../../scripts/lib/folder-worker.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";

let origin: OriginProcess, dev: WranglerDev;
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

it("model large through OpenAI completions scoring equals the origin's native answer", async () => {
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
  for (const [code, p] of Object.entries(native.distribution!)) expect(viaEdge.distribution![code]).toBeCloseTo(p, 4);
  expect(viaEdge.outside_mass).toBeCloseTo(native.outside_mass!, 4);
});
