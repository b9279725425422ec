// POST /v1/predict: body -> request schema -> model -> request against the model -> small model (or the
// baseline) -> prediction. Every refusal is problem+json; the history is never logged.
import type { Context } from "hono";
import { invalidRequest } from "../../core/problem.ts";
import { parsePredictRequest } from "../../core/validate-request.ts";
import type { AppEnv } from "../env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { problemResponse } from "../http/problem-response.ts";
import type { ModelRegistry } from "../models/registry.ts";
import { answerAtEdge, round } from "../predict/answer.ts";
import { describeFor, loadFor } from "../predict/resolve.ts";

export function predictHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string) {
  return async (c: Context<AppEnv>) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw);
    if (!body.ok) return problemResponse(body.problem, body.problem.status === 415 ? { "accept-post": "application/json" } : {});
    const parsed = parsePredictRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const request = parsed.value;

    const described = await describeFor(registry, request, defaultModel(c.env));
    if (!described.ok) return problemResponse(described.problem);
    const { name, errors } = described.value;
    if (errors.length) return problemResponse(invalidRequest(errors));
    const model = await loadFor(registry, name);
    if (!model.ok) return problemResponse(model.problem);

    const response = await answerAtEdge(name, model.value, request);
    response.timing!.total_ms = round(performance.now() - arrived);
    return c.json(response, 200, { "cache-control": "no-store" });
  };
}
