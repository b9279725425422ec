// The OpenAI-compatible completions subset the origin speaks: scoring only. A client sends prompts with
// `echo: true, logprobs: N, max_tokens: 0` and reads back every prompt token's log-probability, which is
// how the edge scores labels against vLLM or SGLang (functions/routing/origin-client.ts, "openai"). This
// module holds the request schema and the response's shape; the numbers come from token-logprobs.ts.
import { randomUUID } from "node:crypto";
import * as z from "zod";
import type { Problem } from "../core/problem.ts";
import type { ResumeTokenizer } from "../core/tokenizer.ts";

/** One prompt per label of the largest taxonomy (isco08's 436 occupations and the special states) fits. */
export const MAX_PROMPTS = 512;
/** 512 resume prompts of about 1 KB each. */
export const MAX_COMPLETIONS_BODY_BYTES = 1024 * 1024;
/** OpenAI's own limit on `logprobs` for completions. */
export const MAX_LOGPROBS = 5;

const ignored = "accepted for OpenAI clients and ignored: nothing is sampled";

export const CompletionRequestSchema = z.strictObject({
  model: z.string().min(1).max(64),
  prompt: z.union([z.string(), z.array(z.string()).min(1).max(MAX_PROMPTS)], {
    error: `prompt must be a string or an array of 1 to ${MAX_PROMPTS} strings (token-id prompts are not supported)`,
  }),
  echo: z.literal(true, { error: "echo must be true: this endpoint scores the prompt (echo with logprobs) and generates nothing" }),
  logprobs: z.int({ error: `logprobs must be an integer from 0 to ${MAX_LOGPROBS}: the prompt's token log-probabilities are the answer` }).min(0).max(MAX_LOGPROBS),
  max_tokens: z.literal(0, { error: "max_tokens must be 0: this endpoint scores prompts and generates no tokens" }),
  /** The rest: sent by OpenAI-style clients, harmless when nothing is generated. */
  temperature: z.number().nullish().describe(ignored),
  top_p: z.number().nullish().describe(ignored),
  n: z.literal(1, { error: "n must be 1: one scoring per prompt" }).nullish(),
  stream: z.literal(false, { error: "stream must be false: the scores come back in one response" }).nullish(),
  user: z.string().max(256).nullish().describe(ignored),
});

export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;

export interface CompletionLogprobs {
  tokens: string[];
  /** null for the first token (it has no context). */
  token_logprobs: (number | null)[];
  /** Where each token starts in the prompt, in UTF-16 code units (JavaScript string indices). */
  text_offset: number[];
  /**
   * Always null: the exported graph scores given continuations, it does not return the distribution over
   * the vocabulary, so the most likely alternatives at each position are not known.
   */
  top_logprobs: null;
}

export interface CompletionResponse {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: { index: number; text: string; logprobs: CompletionLogprobs; finish_reason: "length" }[];
  usage: { prompt_tokens: number; completion_tokens: 0; total_tokens: number };
}

/**
 * A problem with OpenAI's `error` member added (RFC 9457 allows extension members), so that OpenAI clients
 * report its message and the offending parameter instead of a bare status.
 */
export function withOpenAIError(p: Problem): Problem {
  const param = p.pointer ? (p.pointer.split("/")[1] ?? null) : null;
  const type = p.status >= 500 ? "server_error" : "invalid_request_error";
  return { ...p, error: { message: p.detail, type, param, code: p.type.split("/").pop() ?? null } };
}

/** Each token's text and its offset in `text` (the string `ids` encodes). */
export function tokenOffsets(tokenizer: ResumeTokenizer, text: string, ids: readonly number[]): { tokens: string[]; offsets: number[] } {
  const tokens = ids.map((id) => tokenizer.decode([id]));
  const offsets: number[] = [];
  if (/^[\x00-\x7f]*$/.test(text)) {
    // ASCII: every token is whole characters, so offsets are running lengths.
    let at = 0;
    for (const t of tokens) offsets.push(at), (at += t.length);
    return { tokens, offsets };
  }
  // A byte-level token may end inside a multi-byte character: decode each prefix and keep how much of the
  // text it reproduces, so such a token starts at the character it splits.
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    offsets.push(at);
    const decoded = tokenizer.decode(ids.slice(0, i + 1));
    while (at < decoded.length && at < text.length && decoded[at] === text[at]) at++;
  }
  return { tokens, offsets };
}

export function completionResponse(model: string, prompts: readonly string[], tokenizer: ResumeTokenizer, ids: readonly number[][], logprobs: readonly Float64Array[]): CompletionResponse {
  let promptTokens = 0;
  const choices = prompts.map((text, index) => {
    const { tokens, offsets } = tokenOffsets(tokenizer, text, ids[index]!);
    promptTokens += tokens.length;
    const token_logprobs = Array.from(logprobs[index]!, (v, i) => (i === 0 || !Number.isFinite(v) ? null : v));
    return { index, text, logprobs: { tokens, token_logprobs, text_offset: offsets, top_logprobs: null }, finish_reason: "length" as const };
  });
  return {
    id: `cmpl-${randomUUID()}`,
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    usage: { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens },
  };
}
