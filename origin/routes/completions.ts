// POST /v1/completions: the OpenAI-compatible scoring subset over the same large LM (see completions.ts).
// Body and schema (the jsonBody middleware) -> model -> prompts tokenised and checked against the context ->
// one queued job for all the prompts (they usually share the resume, scored once) -> OpenAI's response
// shape. Refusals are thrown as ProblemError; the app's onError adds OpenAI's error object to them.
import type { Context } from "hono";
import { invalidRequest, ProblemError, type InvalidParam } from "../../core/problem.ts";
import { completionResponse, type CompletionRequest } from "../completions.ts";
import { runJobs, type ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

export function completionsHandler(models: ServedModels, queue: ModelQueue) {
  return async (c: Context<{ Variables: { body: CompletionRequest } }>) => {
    const request = c.var.body;
    const model = models.resolve(request.model, "/model");
    const single = typeof request.prompt === "string";
    const prompts = single ? [request.prompt as string] : (request.prompt as string[]);
    const maxTokens = model.spec.maxTokens;
    const errors: InvalidParam[] = [];
    const ids = prompts.map((text, i) => {
      const pointer = single ? "/prompt" : `/prompt/${i}`;
      const encoded = model.tokenizer.encode(text);
      if (encoded.length === 0) errors.push({ pointer, detail: "the prompt is empty: there is nothing to score" });
      if (encoded.length > maxTokens) errors.push({ pointer, detail: `the prompt is ${encoded.length} tokens; model ${model.name} reads at most ${maxTokens}` });
      return encoded;
    });
    if (errors.length) throw new ProblemError(invalidRequest(errors));
    const [result] = await runJobs(queue, [{ kind: "token-logprobs", model: model.name, prompts: ids }]);
    return c.json(completionResponse(model.name, prompts, model.tokenizer, ids, result!.logprobs), 200, { "cache-control": "no-store" });
  };
}
