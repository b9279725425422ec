// POST /v1/predict/batch: up to MAX_BATCH questions in one call, each answered as POST /v1/predict would.
// All or nothing: when any question is wrong, the batch is refused with every error, each pointing into
// its question (/requests/i/...), so a client fixes them all in one round and no answer is silently lost.
import type { Context } from "hono";
import { MAX_BATCH, PredictBatchRequestSchema, type PredictBatchResponse, type PredictResponse } from "../../core/contract.ts";
import { invalidRequest, type InvalidParam } from "../../core/problem.ts";
import { zodIssuesToParams } from "../../core/validate-request.ts";
import type { AppEnv } from "../env.ts";
import { MAX_BODY_BYTES, readJsonBody } from "../http/json-body.ts";
import { problemResponse } from "../http/problem-response.ts";
import type { ModelRegistry } from "../models/registry.ts";
import { answerAtEdge, round } from "../predict/answer.ts";
import { describeFor } from "../predict/resolve.ts";
import { modelToAnswer, warmupPolicy } from "../predict/warm-up.ts";
import { executionContextOf } from "../http/response-cache.ts";
import type { LoadedModel } from "../../core/load-model.ts";

/** A batch may carry MAX_BATCH questions of up to MAX_BODY_BYTES each... in practice far less: 4x one body. */
export const MAX_BATCH_BODY_BYTES = 4 * MAX_BODY_BYTES;

export function predictBatchHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string) {
  return async (c: Context<AppEnv>) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw, MAX_BATCH_BODY_BYTES);
    if (!body.ok) return problemResponse(body.problem, body.problem.status === 415 ? { "accept-post": "application/json" } : {});
    const parsed = PredictBatchRequestSchema.safeParse(body.value);
    if (!parsed.success) {
      const errors = zodIssuesToParams(parsed.error.issues);
      return problemResponse(invalidRequest(errors, errors.some((e) => e.pointer === "/requests") ? `${errors[0]!.detail} (a batch holds 1 to ${MAX_BATCH} requests)` : undefined));
    }
    const { requests } = parsed.data;

    const errors: InvalidParam[] = [];
    const names: string[] = [];
    const models: LoadedModel[] = [];
    for (const [i, request] of requests.entries()) {
      const described = await describeFor(registry, request, defaultModel(c.env), `/requests/${i}`);
      if (!described.ok) {
        if (!described.errors) return problemResponse(described.problem); // the model itself is unavailable
        errors.push(...described.errors);
        continue;
      }
      errors.push(...described.value.errors);
      names.push(described.value.name);
      models.push(described.value.described);
    }
    if (errors.length) return problemResponse(invalidRequest(errors));

    const results: PredictResponse[] = [];
    const ctx = executionContextOf(c);
    for (const [i, request] of requests.entries()) {
      const chosen = await modelToAnswer(registry, names[i]!, models[i]!, warmupPolicy(c.env?.WARMUP_POLICY), ctx && ((p) => ctx.waitUntil(p)));
      if (!chosen.ok) return problemResponse(chosen.problem);
      results.push((await answerAtEdge(names[i]!, chosen.value.model, request, chosen.value.warming)).response);
    }
    const total_ms = round(performance.now() - arrived);
    for (const r of results) r.timing!.total_ms = total_ms;
    const response: PredictBatchResponse = { results, timing: { total_ms } };
    return c.json(response, 200, { "cache-control": "no-store" });
  };
}
