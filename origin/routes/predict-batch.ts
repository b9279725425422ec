// POST /v1/predict/batch at the origin: up to MAX_BATCH questions, each answered as /v1/predict would, all
// or nothing (every error at once, pointing into /requests/i). The questions enter the queue as one group:
// one ONNX call each, run side by side up to the concurrency (see queue.ts for what is and is not batched).
import type { Context } from "hono";
import type { PredictBatchResponse } from "../../core/contract.ts";
import { type InvalidParam, invalidRequest, problemResponse } from "../../core/problem.ts";
import { parsePredictBatchRequest } from "../../core/validate-request.ts";
import { bodyProblemHeaders, MAX_BATCH_BODY_BYTES, readJsonBody } from "../../core/json-body.ts";
import { roundMs } from "../../core/predict-response.ts";
import { answerOf, prepareQuestion, type Question } from "../question.ts";
import { retryAfter, runJobs, type ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

export function predictBatchHandler(models: ServedModels, queue: ModelQueue) {
  return async (c: Context) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw, MAX_BATCH_BODY_BYTES);
    if (!body.ok) return problemResponse(body.problem, bodyProblemHeaders(body.problem));
    const parsed = parsePredictBatchRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);

    const errors: InvalidParam[] = [];
    const questions: Question[] = [];
    parsed.value.requests.forEach((request, i) => {
      const prepared = prepareQuestion(models, request, `/requests/${i}`);
      if (prepared.ok) questions.push(prepared.question);
      else errors.push(...prepared.errors);
    });
    if (errors.length) return problemResponse(invalidRequest(errors));

    const ran = await runJobs(queue, questions.map((q) => ({ kind: "predict" as const, model: q.model.name, ids: q.ids })));
    if (!ran.ok) return problemResponse(ran.problem, retryAfter);
    const totalMs = performance.now() - arrived;
    const response: PredictBatchResponse = { results: questions.map((q, i) => answerOf(q, ran.results[i]!, totalMs)), timing: { total_ms: roundMs(totalMs) } };
    return c.json(response, 200, { "cache-control": "no-store" });
  };
}
