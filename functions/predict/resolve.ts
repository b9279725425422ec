// From a well-formed request to the model that will answer it: the named (or default) model, verified, and
// the request checked against its labels and the calendar. Every refusal is a problem; pointers are
// prefixed so that a batch can say which of its requests was wrong.
import type { PredictRequest } from "../../core/contract.ts";
import type { LoadedModel } from "../../core/load-model.ts";
import { problem, type InvalidParam, type Problem } from "../../core/problem.ts";
import { validateAgainstModel } from "../../core/validate-request.ts";
import type { EdgeModel } from "../models/edge-model.ts";
import { ModelUnavailableError, type ModelRegistry } from "../models/registry.ts";

export type Resolved<T> = { ok: true; value: T } | { ok: false; problem: Problem; errors?: InvalidParam[] };

const unavailable = (name: string, reason: string): Problem => problem("model-unavailable", "Model unavailable", 503, reason, { model: name });

/** The model a request names (or the default) and its verified labels; field errors come back as params. */
export async function describeFor(
  registry: ModelRegistry,
  request: PredictRequest,
  defaultModel: string,
  prefix = "",
): Promise<Resolved<{ name: string; described: LoadedModel; errors: InvalidParam[] }>> {
  const name = request.model ?? defaultModel;
  if (!registry.has(name)) {
    const available = registry.names();
    const detail = `model ${JSON.stringify(name)} is not served here; available: ${available.join(", ")}`;
    if (request.model === undefined) return { ok: false, problem: unavailable(name, `the configured default ${detail}`) };
    const pointer = `${prefix}/model`;
    return { ok: false, problem: problem("unknown-model", "Unknown model", 422, detail, { pointer, errors: [{ pointer, detail }], available }), errors: [{ pointer, detail }] };
  }
  try {
    const described = await registry.describe(name);
    const errors = validateAgainstModel(request, described.labels, new Date().getUTCFullYear()).map((e) => ({ ...e, pointer: prefix + e.pointer }));
    return { ok: true, value: { name, described, errors } };
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
