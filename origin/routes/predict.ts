// POST /v1/predict at the origin: the edge's contract, answered by the large model. Body -> schema -> model
// and calendar -> context -> queue -> one ONNX call. Every refusal is problem+json; the body is never logged.
import type { Context } from "hono";
import { invalidRequest, problemResponse } from "../../core/problem.ts";
import { parsePredictRequest } from "../../core/validate-request.ts";
import { bodyProblemHeaders, readJsonBody } from "../../core/json-body.ts";
import { answerOf, prepareQuestion } from "../question.ts";
import { retryAfter, runJobs, type ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

export function predictHandler(models: ServedModels, queue: ModelQueue) {
  return async (c: Context) => {
    const arrived = performance.now();
    const body = await readJsonBody(c.req.raw);
    if (!body.ok) return problemResponse(body.problem, bodyProblemHeaders(body.problem));
    const parsed = parsePredictRequest(body.value);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const prepared = prepareQuestion(models, parsed.value);
    if (!prepared.ok) return problemResponse(invalidRequest(prepared.errors));
    const { question } = prepared;

    const ran = await runJobs(queue, [{ kind: "predict", model: question.model.name, ids: question.ids }]);
    if (!ran.ok) return problemResponse(ran.problem, retryAfter);
    return c.json(answerOf(question, ran.results[0]!, performance.now() - arrived), 200, { "cache-control": "no-store" });
  };
}
