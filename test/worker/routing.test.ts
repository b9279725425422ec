// The routing layer's pieces that do not need a network: the circuit breaker's states, the time budget of
// a call to the origin (timeout, deadline, one retry, hedging), and the escalation decision.
import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../functions/routing/breaker.ts";
import { routingConfig } from "../../functions/routing/config.ts";
import { OriginError, resilientCall, type CallBudget } from "../../functions/routing/resilient-call.ts";
import { escalation } from "../../functions/routing/router.ts";
import type { EdgeAnswer } from "../../functions/predict/answer.ts";

const budget: CallBudget = { attemptTimeoutMs: 100, deadlineMs: 400, hedgeAfterMs: 0, retryJitterMs: 10 };
const after = <T>(ms: number, value: T, signal: AbortSignal) =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => resolve(value), ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(new DOMException("aborted", "AbortError"));
    });
  });

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
  it("retries once after a timeout and succeeds within the deadline", async () => {
    let calls = 0;
    const out = await resilientCall((signal) => after(calls++ === 0 ? 1000 : 5, "ok", signal), budget);
    expect(out).toEqual({ value: "ok", attempts: 2 });
  });

  it("gives up at the deadline", async () => {
    const t0 = Date.now();
    await expect(resilientCall((signal) => after(10_000, "never", signal), { ...budget, attemptTimeoutMs: 300 })).rejects.toMatchObject({ kind: expect.stringMatching(/timeout|deadline/) });
    expect(Date.now() - t0).toBeLessThan(700);
  });

  it("does not retry what another attempt would not fix", async () => {
    let calls = 0;
    const refused = () => {
      calls++;
      return Promise.reject(new OriginError("status", "422", { status: 422, retryable: false }));
    };
    await expect(resilientCall(refused, budget)).rejects.toMatchObject({ status: 422 });
    expect(calls).toBe(1);
  });

  it("hedges a slow attempt with a second one and takes the first answer", async () => {
    let calls = 0;
    const t0 = Date.now();
    const out = await resilientCall((signal) => (calls++ === 0 ? after(90, "slow", signal) : after(5, "hedge", signal)), { ...budget, hedgeAfterMs: 20 });
    expect(out).toEqual({ value: "hedge", attempts: 2 });
    expect(Date.now() - t0).toBeLessThan(80);
  });
});

describe("escalation", () => {
  const edge = (probs: number[], pastContext = false, unseenTokens = 0) => ({ probs, pastContext, unseenTokens, response: {} }) as unknown as EdgeAnswer;
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
