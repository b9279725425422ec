// GET /v1/models and GET /v1/occupations?model=NAME: what a client can ask, read from the verified
// manifests and label lists (cheap: no inference session is created).
import type { Context } from "hono";
import type { LoadedModel } from "../../core/load-model.ts";
import { problem } from "../../core/problem.ts";
import { isSpecialState } from "../../core/taxonomy.ts";
import type { AppEnv } from "../env.ts";
import { problemResponse } from "../http/problem-response.ts";
import { ModelUnavailableError, type ModelRegistry } from "../models/registry.ts";

type DefaultModel = (env: AppEnv["Bindings"]) => string;
const CACHEABLE = { "cache-control": "public, max-age=300" };

function summary(name: string, m: LoadedModel, isDefault: boolean) {
  const lm = m.manifest.language_models;
  return {
    name,
    default: isDefault,
    description: m.manifest.description,
    taxonomy: m.manifest.taxonomy,
    labels: m.labels.size,
    special_states: m.labels.specialStates(),
    step_years: m.manifest.step_years,
    engine: lm ? "small" : m.manifest.kind,
    small_model: lm ? { parameters: lm.small.parameters, max_tokens: lm.small.max_tokens } : undefined,
    data: m.manifest.data,
    metrics: m.manifest.metrics,
  };
}

export function modelsHandler(registry: ModelRegistry, defaultModel: DefaultModel) {
  return async (c: Context<AppEnv>) => {
    const fallback = defaultModel(c.env);
    const models = await Promise.all(
      registry.names().map((name) =>
        registry.describe(name).then(
          (m) => ({ available: true, ...summary(name, m, name === fallback) }),
          (e: unknown) => ({ name, default: name === fallback, available: false, reason: e instanceof ModelUnavailableError ? e.reason : "failed to load" }),
        ),
      ),
    );
    return c.json({ default_model: fallback, models }, 200, CACHEABLE);
  };
}

export function occupationsHandler(registry: ModelRegistry, defaultModel: DefaultModel) {
  return async (c: Context<AppEnv>) => {
    const name = c.req.query("model") ?? defaultModel(c.env);
    if (!registry.has(name)) {
      const available = registry.names();
      const detail = `model ${JSON.stringify(name)} is not served here; available: ${available.join(", ")}`;
      return problemResponse(problem("unknown-model", "Unknown model", 422, detail, { parameter: "model", available }));
    }
    let model: LoadedModel;
    try {
      model = await registry.describe(name);
    } catch (e) {
      if (!(e instanceof ModelUnavailableError)) throw e;
      return problemResponse(problem("model-unavailable", "Model unavailable", 503, e.reason, { model: name }));
    }
    const occupations = model.labels.labels.map((l) => ({ code: l.code, title: l.title, special_state: isSpecialState(l.code) }));
    return c.json({ model: name, taxonomy: model.labels.taxonomy, occupations }, 200, CACHEABLE);
  };
}
