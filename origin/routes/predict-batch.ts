// POST /v1/predict/batch at the origin: up to MAX_BATCH questions, each answered as /v1/predict would, all
// or nothing (every error at once, pointing into /requests/i). The questions enter the queue as one group:
// one ONNX call each, run side by side up to the concurrency (see queue.ts for what is and is not batched).
import type { Context } from "hono";
import type { PredictBatchRequest, PredictBatchResponse } from "../../core/contract.ts";
import { allOrNothing } from "../../core/problem.ts";
import { roundMs } from "../../core/predict-response.ts";
import { answerOf, prepareQuestion } from "../question.ts";
import { runJobs, type ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

export function predictBatchHandler(models: ServedModels, queue: ModelQueue) {
  return async (c: Context<{ Variables: { body: PredictBatchRequest } }>) => {
    const arrived = performance.now();
    const questions = await allOrNothing(c.var.body.requests, (request, i) => prepareQuestion(models, request, `/requests/${i}`));
    const results = await runJobs(queue, questions.map((q) => ({ kind: "predict" as const, model: q.model.name, ids: q.ids })));
    const totalMs = performance.now() - arrived;
    const response: PredictBatchResponse = { results: questions.map((q, i) => answerOf(q, results[i]!, totalMs)), timing: { total_ms: roundMs(totalMs) } };
    return c.json(response, 200, { "cache-control": "no-store" });
  };
}
