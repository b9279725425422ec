// GET /health (no secret): liveness, the models served, where they run, and how busy the queue is.
import type { Context } from "hono";
import type { ExecutionProvider } from "../execution-provider.ts";
import type { ModelQueue } from "../run-jobs.ts";
import type { ServedModels } from "../served-models.ts";

export function healthHandler(models: ServedModels, queue: ModelQueue, provider: () => ExecutionProvider) {
  return (c: Context) =>
    c.json(
      {
        status: "ok",
        default_model: models.defaultName,
        models: models.all().map((m) => ({
          name: m.name,
          taxonomy: m.labels.taxonomy,
          labels: m.labels.size,
          parameters: m.parameters,
          max_tokens: m.spec.maxTokens,
        })),
        execution_provider: provider(),
        queue: queue.stats(),
      },
      200,
      { "cache-control": "no-store" },
    );
}
