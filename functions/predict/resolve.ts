// From a well-formed request to the model that will answer it: the named (or default) model, verified, and
// the request checked against its labels and the calendar. Every refusal is a problem; pointers are
// prefixed so that a batch can say which of its requests was wrong.
import type { EdgePredictRequest, PredictRequest, UnderstoodEntry } from "../../core/contract.ts";
import { needsTitleIndex, resolveHistory, type EntryCandidates } from "../../core/history-input.ts";
import type { LoadedModel } from "../../core/load-model.ts";
import { notServedDetail, problem, unknownModel, type InvalidParam, type Problem } from "../../core/problem.ts";
import { validateAgainstModel } from "../../core/validate-request.ts";
import type { EdgeModel } from "../models/edge-model.ts";
import { ModelUnavailableError, type ModelRegistry } from "../models/registry.ts";
import { titleIndex } from "../models/titles.ts";

export type Resolved<T> = { ok: true; value: T } | { ok: false; problem: Problem; errors?: InvalidParam[] };

const unavailable = (name: string, reason: string): Problem => problem("model-unavailable", "Model unavailable", 503, reason, { model: name });

/**
 * The model a request names (or the default) and its verified labels; the history's titles and codes of
 * other systems turned into the model's codes; then the request checked against the model. Field errors
 * come back as params (with the candidates of entries that could not be read with confidence).
 */
export async function describeFor(
  registry: ModelRegistry,
  input: EdgePredictRequest,
  defaultModel: string,
  prefix = "",
): Promise<
  Resolved<{ name: string; described: LoadedModel; request: PredictRequest; understood: UnderstoodEntry[]; errors: InvalidParam[]; candidates: EntryCandidates[] }>
> {
  const request = input;
  const name = request.model ?? defaultModel;
  if (!registry.has(name)) {
    const available = registry.names();
    if (request.model === undefined) return { ok: false, problem: unavailable(name, `the configured default ${notServedDetail(name, available)}`) };
    const refusal = unknownModel(name, available, { pointer: `${prefix}/model` });
    return { ok: false, problem: refusal, errors: refusal.errors! };
  }
  try {
    const described = await registry.describe(name);
    const resolved = resolveHistory(input, described.labels, needsTitleIndex(input) && described.labels.builtIn ? titleIndex() : undefined, prefix);
    if (!resolved.ok)
      return { ok: true, value: { name, described, request: { ...input, history: [] }, understood: [], errors: resolved.errors, candidates: resolved.candidates } };
    const errors = validateAgainstModel(resolved.request, described.labels, new Date().getUTCFullYear()).map((e) => ({ ...e, pointer: prefix + e.pointer }));
    return { ok: true, value: { name, described, request: resolved.request, understood: resolved.understood, errors, candidates: [] } };
  } catch (e) {
    if (!(e instanceof ModelUnavailableError)) throw e;
    return { ok: false, problem: unavailable(name, e.reason) };
  }
}

/** The full model (with its inference session), created on first use. */
export async function loadFor(registry: ModelRegistry, name: string): Promise<Resolved<EdgeModel>> {
  try {
    return { ok: true, value: await registry.get(name) };
  } catch (e) {
    if (!(e instanceof ModelUnavailableError)) throw e;
    return { ok: false, problem: unavailable(name, e.reason) };
  }
}

/** A 422 for entries that could not be read with confidence carries their best candidates, by pointer. */
export function withCandidates(p: Problem, candidates: readonly EntryCandidates[]): Problem {
  return candidates.length ? { ...p, candidates: Object.fromEntries(candidates.map((c) => [c.pointer, c.candidates])) } : p;
}
