// A per-isolate circuit breaker for the origin: after `failureThreshold` consecutive failures it opens and
// the edge stops calling the origin for `cooldownMs`; then one probe is let through (half-open): its
// success closes the breaker, its failure opens it again. Requests that the breaker refuses are answered
// at the edge at once instead of waiting for a timeout.
export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly options: Required<BreakerOptions>;

  constructor(options: BreakerOptions) {
    this.options = { now: () => Date.now(), ...options };
  }

  /** The state now (an open breaker past its cool-down reads as half-open). */
  current(): BreakerState {
    if (this.state === "open" && this.options.now() - this.openedAt >= this.options.cooldownMs) return "half-open";
    return this.state;
  }

  /** Whether a call may go to the origin now; in half-open, only one probe at a time. */
  allow(): boolean {
    const state = this.current();
    if (state === "closed") return true;
    if (state === "open" || this.probing) return false;
    this.state = "half-open";
    this.probing = true;
    return true;
  }

  success(): void {
    this.state = "closed";
    this.failures = 0;
    this.probing = false;
  }

  failure(): void {
    this.probing = false;
    this.failures++;
    if (this.state === "half-open" || this.failures >= this.options.failureThreshold) {
      this.state = "open";
      this.openedAt = this.options.now();
    }
  }

  /** Seconds until a probe is allowed (for Retry-After-like hints), 0 when closed. */
  retryInSeconds(): number {
    if (this.current() !== "open") return 0;
    return Math.ceil((this.options.cooldownMs - (this.options.now() - this.openedAt)) / 1000);
  }
}
