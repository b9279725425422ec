// The edge's client for the large-model origin, in the two protocols it speaks:
//   native: POST {ORIGIN_URL}/v1/predict with the prediction contract (our origin, origin/);
//   openai: POST {ORIGIN_URL}/v1/completions scoring (vLLM, SGLang or our origin's subset): one prompt per
//           label, resume prompt + the label's continuation, `echo` with `logprobs` and `max_tokens: 0`; a
//           label's log-probability is the sum of its continuation's token log-probabilities; normalised
//           over the labels.
// Either way the answer is checked before use: anything malformed is an OriginError, never a wrong answer.
import { PredictResponseSchema, type PredictRequest, type PredictResponse } from "../../core/contract.ts";
import type { VerifiedModel } from "../../core/load-model.ts";
import { ORIGIN_SECRET_HEADER } from "../../core/origin-protocol.ts";
import { buildPredictResponse, predictionContext } from "../../core/predict-response.ts";
import { continuationText, renderPrompt } from "../../core/resume.ts";
import { OriginError } from "./resilient-call.ts";

export type OriginProtocol = "native" | "openai";

export interface OriginTarget {
  url: string;
  protocol: OriginProtocol;
  secret: string;
  /** The model's name at the origin (an OpenAI-compatible server names its own models). */
  model: string;
}

/** A successful answer's JSON, or an OriginError saying what was wrong with the response. */
async function readJson(res: Response): Promise<unknown> {
  if (!res.ok) {
    await res.body?.cancel();
    throw new OriginError("status", `the origin answered ${res.status}`, { status: res.status, retryable: res.status >= 500 || res.status === 429 });
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new OriginError("network", "the origin's response was cut off");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new OriginError("malformed", "the origin's response is not valid JSON", { retryable: true });
  }
}

async function predictNative(target: OriginTarget, request: PredictRequest, signal: AbortSignal): Promise<PredictResponse> {
  const res = await fetch(`${target.url}/v1/predict`, {
    method: "POST",
    headers: { "content-type": "application/json", [ORIGIN_SECRET_HEADER]: target.secret },
    body: JSON.stringify({ ...request, model: target.model }),
    signal,
  });
  const parsed = PredictResponseSchema.safeParse(await readJson(res));
  if (!parsed.success || parsed.data.predictions.length === 0)
    throw new OriginError("malformed", "the origin's answer does not follow the prediction contract", { retryable: true });
  return parsed.data;
}

interface CompletionChoice {
  index: number;
  text?: string;
  logprobs: { token_logprobs: (number | null)[]; text_offset: number[] };
}

async function predictOpenAI(target: OriginTarget, model: VerifiedModel, name: string, request: PredictRequest, signal: AbortSignal): Promise<PredictResponse> {
  const { labels } = model;
  const ctx = predictionContext(request, model.manifest);
  const prompt = renderPrompt(model.manifest.source, ctx, labels, ctx.nextYear);
  const res = await fetch(`${target.url}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.secret}` },
    body: JSON.stringify({
      model: target.model,
      prompt: labels.codes.map((code) => prompt + continuationText(labels, code)),
      echo: true,
      logprobs: 1,
      max_tokens: 0,
    }),
    signal,
  });
  const body = (await readJson(res)) as { choices?: CompletionChoice[] };
  const choices = Array.isArray(body?.choices) ? body.choices : [];
  const prompts = labels.codes.map((code) => prompt + continuationText(labels, code));
  const logp = new Float64Array(labels.size).fill(NaN);
  for (const choice of choices) {
    const lp = choice?.logprobs;
    if (!lp || !Array.isArray(lp.token_logprobs) || !Array.isArray(lp.text_offset) || !(choice.index >= 0 && choice.index < labels.size)) continue;
    // The continuation's tokens are those starting at or after the prompt's end (the tokenizer keeps that
    // boundary: the prompt ends with ":" and every continuation starts with a space). Offsets are counted
    // from the end of the echoed text, so a server that echoes a BOS token's text in front shifts nothing.
    const shift = typeof choice.text === "string" ? Math.max(0, choice.text.length - prompts[choice.index]!.length) : 0;
    let sum = 0;
    lp.text_offset.forEach((offset, j) => {
      if (offset - shift >= prompt.length) sum += lp.token_logprobs[j] ?? NaN;
    });
    logp[choice.index] = sum;
  }
  if (logp.some((v) => !Number.isFinite(v))) throw new OriginError("malformed", "the origin's completions do not score every label", { retryable: true });
  const max = Math.max(...logp);
  const probs = logp.map((v) => Math.exp(v - max));
  const total = probs.reduce((a, b) => a + b, 0);
  for (let i = 0; i < probs.length; i++) probs[i]! /= total;
  const response = buildPredictResponse({ model: name, servedBy: "origin", engine: "large", labels, request, nextYear: ctx.nextYear, probs });
  return { ...response, outside_mass: Math.max(0, 1 - total * Math.exp(max)) };
}

/** The origin's answer for `request` (already validated against `model`), in the edge's contract. */
export function askOrigin(target: OriginTarget, model: VerifiedModel, name: string, request: PredictRequest, signal: AbortSignal): Promise<PredictResponse> {
  return target.protocol === "openai" ? predictOpenAI(target, model, name, request, signal) : predictNative(target, request, signal);
}
