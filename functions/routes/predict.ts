// POST /v1/predict and POST /v1/predict/batch: the body read and checked by the jsonBody middleware (app.ts),
// then each question through the one pipeline (predict/pipeline.ts). A batch holds up to MAX_BATCH questions,
// all or nothing: when any is wrong, it is refused with every error, each pointing into its question
// (/requests/i/...), so a client fixes them all in one round and no answer is silently lost; the answers
// come in order, each as POST /v1/predict would give it (cached and routed alike).
import type { Context } from "hono";
import type { EdgePredictBatchRequest, EdgePredictRequest, PredictBatchResponse } from "../../core/contract.ts";
import { roundMs } from "../../core/predict-response.ts";
import { allOrNothing } from "../../core/problem.ts";
import type { AppEnv } from "../env.ts";
import { answerQuestion, resolveQuestion, withCacheStatus, type Pipeline } from "../predict/pipeline.ts";

type WithBody<T> = Context<AppEnv & { Variables: { body: T } }>;

export function predictHandler(pipeline: Pipeline) {
  return async (c: WithBody<EdgePredictRequest>) => {
    const arrived = performance.now();
    const question = await resolveQuestion(pipeline, c.env, c.var.body);
    const { response, cache } = await answerQuestion(pipeline, c, question, arrived);
    return withCacheStatus(c.json(response, 200, { "cache-control": "no-store" }), cache);
  };
}

export function predictBatchHandler(pipeline: Pipeline) {
  return async (c: WithBody<EdgePredictBatchRequest>) => {
    const arrived = performance.now();
    const questions = await allOrNothing(c.var.body.requests, (input, i) => resolveQuestion(pipeline, c.env, input, `/requests/${i}`));
    const answers = [];
    for (const q of questions) answers.push(await answerQuestion(pipeline, c, q, arrived));
    const total_ms = roundMs(performance.now() - arrived);
    const results = answers.map(({ response }) => ({ ...response, timing: { model_ms: response.timing!.model_ms, total_ms } }));
    const body: PredictBatchResponse = { results, timing: { total_ms } };
    // HIT only when every answer came from the cache.
    return withCacheStatus(c.json(body, 200, { "cache-control": "no-store" }), answers.every((a) => a.cache === "HIT") ? "HIT" : "MISS");
  };
}
