// POST /v1/predict/batch: up to MAX_BATCH questions in one call, each answered (and routed) as POST
// /v1/predict would, one after the other.
// All or nothing: when any question is wrong, the batch is refused with every error, each pointing into
// its question (/requests/i/...), so a client fixes them all in one round and no answer is silently lost.
import type { Context } from "hono";
import {
  LARGE_MODEL_ALIAS,
  type PredictBatchResponse,
  type PredictRequest,
  type PredictResponse,
  type UnderstoodEntry,
} from "../../core/contract.ts";
import type { EntryCandidates } from "../../core/history-input.ts";
import { type InvalidParam, invalidRequest, problemResponse } from "../../core/problem.ts";
import { parseEdgePredictBatchRequest } from "../../core/validate-request.ts";
import type { AppEnv } from "../env.ts";
import { bodyProblemHeaders, MAX_BATCH_BODY_BYTES, readJsonBody } from "../../core/json-body.ts";
import type { ModelRegistry } from "../models/registry.ts";
import { answerAtEdge } from "../predict/answer.ts";
import { roundMs } from "../../core/predict-response.ts";
import { describeFor, withCandidates } from "../predict/resolve.ts";
import { routingConfig } from "../routing/config.ts";
import { route, type RoutingState } from "../routing/router.ts";
import { modelToAnswer, warmupPolicy } from "../predict/warm-up.ts";
import { executionContextOf } from "../http/response-cache.ts";
import type { LoadedModel } from "../../core/load-model.ts";

export function predictBatchHandler(registry: ModelRegistry, defaultModel: (env: AppEnv["Bindings"]) => string, routing: RoutingState) {
  return async (c: Context<AppEnv>) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw, MAX_BATCH_BODY_BYTES);
    if (!body.ok) return problemResponse(body.problem, bodyProblemHeaders(body.problem));
    const parsed = parseEdgePredictBatchRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);

    const errors: InvalidParam[] = [];
    const candidates: EntryCandidates[] = [];
    const questions: { name: string; described: LoadedModel; request: PredictRequest; understood: UnderstoodEntry[]; wantLarge: boolean }[] = [];
    for (const [i, input] of parsed.value.requests.entries()) {
      const wantLarge = input.model === LARGE_MODEL_ALIAS;
      const described = await describeFor(registry, wantLarge ? { ...input, model: undefined } : input, defaultModel(c.env), `/requests/${i}`);
      if (!described.ok) {
        if (!described.errors) return problemResponse(described.problem); // the model itself is unavailable
        errors.push(...described.errors);
        continue;
      }
      errors.push(...described.value.errors);
      candidates.push(...described.value.candidates);
      questions.push({ ...described.value, wantLarge });
    }
    if (errors.length) return problemResponse(withCandidates(invalidRequest(errors), candidates));

    const results: PredictResponse[] = [];
    const ctx = executionContextOf(c);
    const background = ctx && ((p: Promise<unknown>) => ctx.waitUntil(p));
    const config = routingConfig(c.env);
    for (const q of questions) {
      const chosen = await modelToAnswer(registry, q.name, q.described, warmupPolicy(c.env?.WARMUP_POLICY), background);
      if (!chosen.ok) return problemResponse(chosen.problem);
      const edge = await answerAtEdge(q.name, chosen.value.model, q.request, chosen.value.warming);
      const response = await route({ state: routing, config, name: q.name, model: q.described, request: q.request, edge, wantLarge: q.wantLarge, background });
      if (q.understood.length) response.understood = q.understood;
      results.push(response);
    }
    const total_ms = roundMs(performance.now() - arrived);
    for (const r of results) r.timing!.total_ms = total_ms;
    const response: PredictBatchResponse = { results, timing: { total_ms } };
    return c.json(response, 200, { "cache-control": "no-store" });
  };
}
