// The work the HTTP thread hands to a model thread: token ids in, numbers out (structured-clone friendly).
export type Job =
  /** One question of the prediction contract: its prompt, already checked against the context. */
  | { kind: "predict"; model: string; ids: number[] }
  /** OpenAI-style scoring: every token's log-probability of each prompt. */
  | { kind: "token-logprobs"; model: string; prompts: number[][] };

export type JobResult =
  | { kind: "predict"; probs: Float64Array; outsideMass: number; modelMs: number }
  /** Index 0 of each prompt is NaN (the first token has no context). */
  | { kind: "token-logprobs"; logprobs: Float64Array[]; modelMs: number };

export type ResultOf<K extends Job["kind"]> = Extract<JobResult, { kind: K }>;
