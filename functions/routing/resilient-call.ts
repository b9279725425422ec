// One call to the origin under a time budget: a timeout per attempt, an overall deadline, at most one retry
// (after a jittered pause, only for failures worth retrying, only if the deadline leaves room), and
// optional hedging (a second attempt started when the first is slower than the origin's usual p95; the
// first success wins and the other is aborted).

export type OriginFailureKind = "timeout" | "deadline" | "network" | "status" | "malformed" | "refused";

/** Why a call to the origin did not produce an answer. `retryable`: another attempt may succeed. */
export class OriginError extends Error {
  override name = "OriginError";
  readonly kind: OriginFailureKind;
  readonly status?: number;
  readonly retryable: boolean;
  constructor(kind: OriginFailureKind, message: string, options: { status?: number; retryable?: boolean } = {}) {
    super(message);
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable ?? (kind === "timeout" || kind === "network" || kind === "status");
  }
}

export interface CallBudget {
  attemptTimeoutMs: number;
  deadlineMs: number;
  /** Start a second, parallel attempt after this long (0: no hedging). */
  hedgeAfterMs: number;
  /** Upper bound of the random pause before the retry. */
  retryJitterMs: number;
}

export interface CallOutcome<T> {
  value: T;
  attempts: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Runs one attempt with its own timeout inside the deadline, mapping aborts to OriginError. */
async function attemptOnce<T>(run: (signal: AbortSignal) => Promise<T>, budget: CallBudget, deadline: AbortSignal, cancel: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(budget.attemptTimeoutMs);
  const signal = AbortSignal.any([deadline, timeout, cancel]);
  try {
    return await run(signal);
  } catch (error) {
    if (deadline.aborted) throw new OriginError("deadline", `no answer within the ${budget.deadlineMs} ms deadline`, { retryable: false });
    if (timeout.aborted) throw new OriginError("timeout", `no answer within ${budget.attemptTimeoutMs} ms`);
    if (error instanceof OriginError) throw error;
    throw new OriginError("network", `the origin could not be reached (${error instanceof Error ? error.name : "error"})`);
  }
}

/** One attempt, hedged by a second one when the first is slow. */
async function hedged<T>(run: (signal: AbortSignal) => Promise<T>, budget: CallBudget, deadline: AbortSignal): Promise<CallOutcome<T>> {
  const losers = new AbortController();
  const first = attemptOnce(run, budget, deadline, losers.signal);
  if (budget.hedgeAfterMs <= 0) return { value: await first, attempts: 1 };
  const hedge = new AbortController();
  let hedgeStarted = false;
  const second = sleep(budget.hedgeAfterMs, AbortSignal.any([hedge.signal, deadline])).then(() => {
    if (hedge.signal.aborted || deadline.aborted) throw new OriginError("refused", "hedge not needed", { retryable: false });
    hedgeStarted = true;
    return attemptOnce(run, budget, deadline, losers.signal);
  });
  first.then(() => hedge.abort(), () => {});
  try {
    const value = await Promise.any([first, second]);
    return { value, attempts: hedgeStarted ? 2 : 1 };
  } catch (error) {
    // Both failed: report the first attempt's reason (the hedge's "not needed" says nothing).
    throw (error as AggregateError).errors[0];
  } finally {
    hedge.abort();
    losers.abort();
  }
}

export async function resilientCall<T>(run: (signal: AbortSignal) => Promise<T>, budget: CallBudget): Promise<CallOutcome<T>> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(budget.deadlineMs);
  try {
    return await hedged(run, budget, deadline);
  } catch (error) {
    const failure = error instanceof OriginError ? error : new OriginError("network", String(error));
    const left = budget.deadlineMs - (Date.now() - started);
    // One retry, only if it can still finish: a jittered pause spreads retries of many isolates.
    const pause = Math.random() * budget.retryJitterMs;
    if (!failure.retryable || left - pause < Math.min(budget.attemptTimeoutMs, 50)) throw failure;
    await sleep(pause, deadline);
    if (deadline.aborted) throw new OriginError("deadline", `no answer within the ${budget.deadlineMs} ms deadline`, { retryable: false });
    const retried = await hedged(run, { ...budget, hedgeAfterMs: 0 }, deadline);
    return { value: retried.value, attempts: retried.attempts + 1 };
  }
}
