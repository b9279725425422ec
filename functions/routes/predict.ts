// POST /v1/predict: body -> request schema -> model -> request against the model -> prediction.
// Every refusal is problem+json; the history is never logged.
import type { Context } from "hono";
import type { PredictResponse } from "../../core/contract.ts";
import { invalidRequest, problem } from "../../core/problem.ts";
import { buildPredictResponse, predictionContext } from "../../core/predict-response.ts";
import { parsePredictRequest, validateAgainstModel } from "../../core/validate-request.ts";
import type { AppEnv } from "../env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { problemResponse } from "../http/problem-response.ts";
import { ModelUnavailableError, type ModelRegistry } from "../models/registry.ts";

export function predictHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string) {
  return async (c: Context<AppEnv>) => {
    const body = await readJsonBody(c.req.raw);
    if (!body.ok) return problemResponse(body.problem, body.problem.status === 415 ? { "accept-post": "application/json" } : {});
    const parsed = parsePredictRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const request = parsed.value;

    const name = request.model ?? defaultModel(c.env);
    if (!registry.has(name)) {
      const available = registry.names();
      const detail = `model ${JSON.stringify(name)} is not served here; available: ${available.join(", ")}`;
      if (request.model === undefined)
        return problemResponse(problem("model-unavailable", "Model unavailable", 503, `the configured default ${detail}`));
      return problemResponse(
        problem("unknown-model", "Unknown model", 422, detail, { pointer: "/model", errors: [{ pointer: "/model", detail }], available }),
      );
    }

    let model;
    try {
      model = await registry.get(name);
    } catch (e) {
      if (!(e instanceof ModelUnavailableError)) throw e;
      return problemResponse(problem("model-unavailable", "Model unavailable", 503, e.reason, { model: name }));
    }

    const errors = validateAgainstModel(request, model.labels, new Date().getUTCFullYear());
    if (errors.length) return problemResponse(invalidRequest(errors));

    const ctx = predictionContext(request, model.manifest.step_years);
    const probs = model.predictor.predict(ctx);
    const response: PredictResponse = buildPredictResponse({
      model: name,
      servedBy: "edge",
      labels: model.labels,
      request,
      nextYear: ctx.nextYear,
      probs,
    });
    return c.json(response, 200, { "cache-control": "no-store" });
  };
}
