// The routing layer's pieces that do not need a network: the circuit breaker's states, the time budget of
// a call to the origin (timeout, deadline, one retry, hedging), and the escalation decision.
import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../functions/routing/breaker.ts";
import { OriginError, resilientCall, type CallBudget } from "../../functions/routing/resilient-call.ts";
import { escalation, routingConfig, type EdgeAnswer } from "../../functions/routing/router.ts";

describe("circuit breaker", () => {
  it("opens after the threshold, lets one probe through after the cool-down, closes on its success", () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => now });
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.current()).toBe("closed");
    b.failure();
    expect(b.current()).toBe("open");
    expect(b.allow()).toBe(false);
    expect(b.retryInSeconds()).toBe(1);
    now = 1000;
    expect(b.current()).toBe("half-open");
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false); // one probe at a time
    b.success();
    expect(b.current()).toBe("closed");
  });

  it("a failed probe opens it again", () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: () => now });
    b.failure();
    now = 600;
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.current()).toBe("open");
  });
});

describe("resilientCall", () => {
  // Every attempt is recorded with the signal it was given; none ends by itself unless told to, so each case
  // is decided by the order of events (an abort, a rejection, an answer), never by how fast this machine is.
  // The budgets' clocks are far longer than any case needs: only the clock a case is about can fire.
  const slack: CallBudget = { attemptTimeoutMs: 60_000, deadlineMs: 120_000, hedgeAfterMs: 0, retryJitterMs: 10 };
  /** An attempt that never answers: it settles only when its signal aborts (rejecting like fetch does). */
  const never = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true }));
  const recorder = (answer: (call: number, signal: AbortSignal) => Promise<string>) => {
    const signals: AbortSignal[] = [];
    return { signals, run: (signal: AbortSignal) => (signals.push(signal), answer(signals.length, signal)) };
  };

  it("retries once after an attempt times out, and the retry's answer is returned", async () => {
    const calls = recorder((n, signal) => (n === 1 ? never(signal) : Promise.resolve("ok")));
    const out = await resilientCall(calls.run, { ...slack, attemptTimeoutMs: 50 });
    expect(out).toEqual({ value: "ok", attempts: 2 });
    expect(calls.signals).toHaveLength(2);
    expect(calls.signals[0]!.aborted).toBe(true); // the first attempt was cut off by its timeout
  });

  it("gives up at the deadline: the attempt's signal is aborted and the failure is the deadline's, not retried", async () => {
    const calls = recorder((_, signal) => never(signal));
    const failure = await resilientCall(calls.run, { ...slack, deadlineMs: 100 }).then(
      () => expect.unreachable("resolved"),
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(OriginError);
    expect(failure).toMatchObject({ kind: "deadline", retryable: false, message: "no answer within the 100 ms deadline" });
    expect(calls.signals).toHaveLength(1);
    expect(calls.signals[0]!.aborted).toBe(true);
  });

  it("an attempt that times out is retried once; when the retry times out too, the failure is the timeout's", async () => {
    // Attempts time out at 50 ms, the deadline is far off: two timeouts (the attempt and its one retry), no third attempt.
    const calls = recorder((_, signal) => never(signal));
    await expect(resilientCall(calls.run, { ...slack, attemptTimeoutMs: 50 })).rejects.toMatchObject({ kind: "timeout", message: "no answer within 50 ms" });
    expect(calls.signals).toHaveLength(2);
    expect(calls.signals.every((s) => s.aborted)).toBe(true);
  });

  it("does not retry what another attempt would not fix", async () => {
    let calls = 0;
    const refused = () => {
      calls++;
      return Promise.reject(new OriginError("status", "422", { status: 422, retryable: false }));
    };
    await expect(resilientCall(refused, slack)).rejects.toMatchObject({ status: 422 });
    expect(calls).toBe(1);
  });

  it("hedges a slow attempt with a second one, takes the hedge's answer and aborts the slow one", async () => {
    const events: string[] = [];
    const calls = recorder((n, signal) => {
      if (n === 1) {
        signal.addEventListener("abort", () => void events.push("first aborted"), { once: true });
        return never(signal);
      }
      events.push(`hedge started (first ${calls.signals[0]!.aborted ? "aborted" : "pending"})`);
      return Promise.resolve("hedge");
    });
    const out = await resilientCall(calls.run, { ...slack, hedgeAfterMs: 20 });
    expect(out).toEqual({ value: "hedge", attempts: 2 });
    expect(calls.signals).toHaveLength(2);
    // The hedge began while the first attempt was still running; the first was aborted once the hedge won.
    expect(events).toEqual(["hedge started (first pending)", "first aborted"]);
    expect(calls.signals[0]!.aborted).toBe(true);
  });

  it("no hedge when the first attempt answers first", async () => {
    const calls = recorder(() => Promise.resolve("first"));
    expect(await resilientCall(calls.run, { ...slack, hedgeAfterMs: 60_000 })).toEqual({ value: "first", attempts: 1 });
    expect(calls.signals).toHaveLength(1);
  });
});

describe("routing configuration", () => {
  it("calls no origin whose secret is unset: no secret is ever assumed in a deployment", () => {
    expect(routingConfig({ ORIGIN_URL: "https://gpu.example.com" }).origin).toBeUndefined();
    expect(routingConfig({ ORIGIN_URL: "https://gpu.example.com", ORIGIN_SECRET: " " }).origin).toBeUndefined();
    expect(routingConfig({ ORIGIN_URL: "https://gpu.example.com/", ORIGIN_SECRET: "s-1" }).origin).toMatchObject({ url: "https://gpu.example.com", secret: "s-1", protocol: "native" });
    expect(routingConfig({ ORIGIN_URL: "", ORIGIN_SECRET: "s-1" }).origin).toBeUndefined();
  });
});

describe("escalation", () => {
  const edge = (probs: number[], pastContext = false, unseen = 0) => ({ probs, pastContext, unseen: { count: unseen, what: "token(s) never seen" }, response: {} }) as unknown as EdgeAnswer;
  const config = routingConfig({ ESCALATE_BELOW_MAX_PROB: "0.4", ESCALATE_ABOVE_ENTROPY_BITS: "1.5", ESCALATE_UNSEEN_TOKENS: "true" });
  it("keeps confident answers at the edge and sends the rest to the origin, saying why", () => {
    expect(escalation(edge([0.9, 0.05, 0.05]), false, config).reason).toBe("edge");
    expect(escalation(edge([0.9, 0.05, 0.05]), true, config).reason).toBe("requested");
    expect(escalation(edge([0.9, 0.05, 0.05], true), false, config).reason).toBe("context");
    expect(escalation(edge([0.9, 0.05, 0.05], false, 2), false, config)).toMatchObject({ reason: "unseen", detail: expect.stringContaining("2 token(s)") });
    expect(escalation(edge([0.9, 0.05, 0.05], false, 2), false, routingConfig({})).reason).toBe("edge");
    expect(escalation(edge([0.35, 0.33, 0.32]), false, config)).toMatchObject({ reason: "uncertain", detail: expect.stringContaining("0.350 < 0.4") });
    expect(escalation(edge([0.45, 0.15, 0.15, 0.15, 0.1]), false, config)).toMatchObject({ reason: "uncertain", detail: expect.stringContaining("entropy") });
  });
  it("with no thresholds configured, only requests and long histories escalate", () => {
    expect(escalation(edge([0.1, 0.1, 0.8]), false, routingConfig({})).reason).toBe("edge");
  });
});
