// POST /v1/completions: the OpenAI-compatible scoring subset over the same large LM (see completions.ts).
// Body -> schema -> model -> prompts tokenised and checked against the context -> one queued job for all
// the prompts (they usually share the resume, scored once) -> OpenAI's response shape.
import type { Context } from "hono";
import { type InvalidParam, invalidRequest, type Problem, problemResponse } from "../../core/problem.ts";
import { zodIssuesToParams } from "../../core/validate-request.ts";
import { bodyProblemHeaders, readJsonBody } from "../../core/json-body.ts";
import { CompletionRequestSchema, completionResponse, MAX_COMPLETIONS_BODY_BYTES, withOpenAIError } from "../completions.ts";
import { retryAfter, runJobs, type ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

const refuse = (p: Problem, headers: Record<string, string> = {}): Response => problemResponse(withOpenAIError(p), headers);

export function completionsHandler(models: ServedModels, queue: ModelQueue) {
  return async (c: Context) => {
    const body = await readJsonBody(c.req.raw, MAX_COMPLETIONS_BODY_BYTES);
    if (!body.ok) return refuse(body.problem, bodyProblemHeaders(body.problem));
    const parsed = CompletionRequestSchema.safeParse(body.value);
    if (!parsed.success) return refuse(invalidRequest(zodIssuesToParams(parsed.error.issues)));
    const request = parsed.data;
    const resolved = models.resolve(request.model, "/model");
    if (!resolved.ok) return refuse(resolved.problem);
    const { model } = resolved;

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
    if (errors.length) return refuse(invalidRequest(errors));

    const ran = await runJobs(queue, [{ kind: "token-logprobs", model: model.name, prompts: ids }]);
    if (!ran.ok) return refuse(ran.problem, retryAfter);
    return c.json(completionResponse(model.name, prompts, model.tokenizer, ids, ran.results[0]!.logprobs), 200, { "cache-control": "no-store" });
  };
}
