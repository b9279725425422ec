// GET /v1/models, GET /v1/occupations?model=NAME and GET /v1/occupations/search?q=...: what a client can
// ask, read from the verified manifests and label lists (cheap: no inference session is created), and
// autocomplete over the occupations' titles (the title index for a built-in taxonomy, the model's own titles
// for a user's code list).
import type { Context } from "hono";
import {
  DEFAULT_SEARCH_RESULTS,
  MAX_SEARCH_QUERY,
  MAX_SEARCH_RESULTS,
  type ModelsResponse,
  type OccupationSearchResponse,
  type OccupationsResponse,
} from "../../core/contract.ts";
import type { VerifiedModel } from "../../core/load-model.ts";
import { notServedDetail, problem, ProblemError, unknownModel } from "../../core/problem.ts";
import { searchLabels } from "../../core/label-search.ts";
import type { AppEnv } from "../env.ts";
import type { EdgeRegistry } from "../models/edge-model.ts";
import { SHIPPED_TITLE_INDEX } from "../models/shipped.js";
import { ModelUnavailableError } from "../../core/model-registry.ts";
import { searchOccupations, titleIndexOf } from "../../core/titles/index.ts";
import { servesSmallModel } from "../../core/model-artifact.ts";

type DefaultModel = (env: AppEnv["Bindings"]) => string;

const CACHEABLE = { "cache-control": "public, max-age=300" };

function summary(name: string, m: VerifiedModel, isDefault: boolean) {
  const lm = m.manifest.language_models;
  return {
    name,
    default: isDefault,
    description: m.manifest.description,
    taxonomy: m.manifest.taxonomy,
    labels: m.labels.size,
    special_states: m.labels.specialStates(),
    step_years: m.manifest.step_years,
    interview_years: m.manifest.interview_years,
    engine: servesSmallModel(m.manifest) ? "small" : m.manifest.kind,
    small_model: lm ? { parameters: lm.small.parameters, max_tokens: lm.small.max_tokens } : undefined,
    data: m.manifest.data,
    metrics: m.manifest.metrics,
  };
}

export function modelsHandler(registry: EdgeRegistry, defaultModel: DefaultModel) {
  return async (c: Context<AppEnv>) => {
    const fallback = defaultModel(c.env);
    const models = await Promise.all(
      registry.names().map((name) =>
        registry.verify(name).then(
          (m) => ({ available: true as const, ...summary(name, m, name === fallback) }),
          (e: unknown) => ({ name, default: name === fallback, available: false as const, reason: e instanceof ModelUnavailableError ? e.reason : "failed to load" }),
        ),
      ),
    );
    const body: ModelsResponse = { default_model: fallback, models };
    return c.json(body, 200, CACHEABLE);
  };
}

export function occupationsHandler(registry: EdgeRegistry, defaultModel: DefaultModel) {
  return async (c: Context<AppEnv>) => {
    const name = c.req.query("model") ?? defaultModel(c.env);
    if (!registry.has(name)) {
      throw new ProblemError(unknownModel(name, registry.names(), { parameter: "model" }));
    }
    const model = await registry.verify(name);
    const occupations = model.labels.labels.map((l) => ({ code: l.code, title: l.title, special_state: model.labels.stateOf(l.code) !== undefined }));
    const body: OccupationsResponse = { model: name, taxonomy: model.labels.taxonomy, occupations };
    return c.json(body, 200, CACHEABLE);
  };
}

const MAX_QUERY = MAX_SEARCH_QUERY;
const MAX_RESULTS = MAX_SEARCH_RESULTS;

/** GET /v1/occupations/search?q=...&model=...&limit=...: autocomplete over the model's occupations by
 *  title (the last word may be unfinished), for widgets. */
export function searchHandler(registry: EdgeRegistry, defaultModel: DefaultModel) {
  return async (c: Context<AppEnv>) => {
    const q = (c.req.query("q") ?? "").trim();
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? DEFAULT_SEARCH_RESULTS : Number(limitText);
    const refusals: { parameter: string; detail: string }[] = [];
    if (q.length === 0 || q.length > MAX_QUERY) refusals.push({ parameter: "q", detail: `q must be 1 to ${MAX_QUERY} characters` });
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) refusals.push({ parameter: "limit", detail: `limit must be an integer from 1 to ${MAX_RESULTS}` });
    const name = c.req.query("model") ?? defaultModel(c.env);
    if (!registry.has(name)) refusals.push({ parameter: "model", detail: notServedDetail(name, registry.names()) });
    if (refusals.length)
      throw new ProblemError(problem("invalid-query", "Invalid query", 422, refusals.map((r) => `${r.parameter}: ${r.detail}`).join("; "), { parameter: refusals[0]!.parameter, invalid_params: refusals }));
    const model = await registry.verify(name);
    // A built-in taxonomy: the title index (known job titles too); a user's own code list: its own titles.
    const taxonomy = model.labels.builtIn;
    const results = taxonomy
      ? searchOccupations(titleIndexOf(SHIPPED_TITLE_INDEX), q, { taxonomy, limit: limit * 2 })
          .filter((r) => model.labels.has(r.code))
          .slice(0, limit)
          .map(({ code, title, score, matched }) => ({ code, title, score, matched }))
      : searchLabels(model.labels, q, limit);
    const body: OccupationSearchResponse = { model: name, taxonomy: model.labels.taxonomy, q, results };
    return c.json(body, 200, CACHEABLE);
  };
}
