// POST /v1/predict at the origin: the edge's contract, answered by the large model. Body and schema (the
// jsonBody middleware) -> model and calendar -> context -> queue -> one ONNX call. Refusals are thrown as
// ProblemError and answered by the app's onError; the body is never logged.
import type { Context } from "hono";
import type { PredictRequest } from "../../core/contract.ts";
import { answerOf, prepareQuestion } from "../question.ts";
import { runJobs, type ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

export function predictHandler(models: ServedModels, queue: ModelQueue) {
  return async (c: Context<{ Variables: { body: PredictRequest } }>) => {
    const arrived = performance.now();
    const question = prepareQuestion(models, c.var.body);
    const [result] = await runJobs(queue, [{ kind: "predict", model: question.model.name, ids: question.ids }]);
    return c.json(answerOf(question, result!, performance.now() - arrived), 200, { "cache-control": "no-store" });
  };
}
