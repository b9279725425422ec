// The routing layer with real processes on loopback: `wrangler dev` (the Worker) in front of a running
// origin (`npm run origin`, the large model), with a proxy between them that injects one fault at a time and
// counts the requests that reach the origin; and a second `wrangler dev` pointed straight at the origin's
// port, no proxy, for the origin's process dying (SIGKILL with a request in flight) and for a port that
// nothing listens on. Every case asserts what the client got, who served it and why, and what reached the
// origin; no assertion depends on how fast this machine is: the only clocks are the routing layer's own
// timeouts (set well above what the work takes here) and the tests' hang guards.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PredictResponseSchema, type PredictResponse } from "../../core/contract.ts";
import * as ort from "onnxruntime-node";
import { loadModel } from "../../core/load-model.ts";
import { loadSmallModel } from "../../core/load-small-model.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import type { OrtRuntime } from "../../core/small-model.ts";
import { equivalentsOf } from "../../core/titles/index.ts";
import { startFaultProxy, type Fault, type FaultProxy } from "../../scripts/lib/fault-proxy.ts";
import { startOrigin, type OriginProcess } from "../../scripts/lib/origin-process.ts";
import { folderWorkerArgs, repoModel } from "../../scripts/lib/folder-worker.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";

const TIMEOUT_MS = 1000, DEADLINE_MS = 2500, COOLDOWN_MS = 5000;
const HISTORY = [
  { year: 1978, occupation: "3" },
  { year: 1980, occupation: "4" },
];
/** The proxied edge's small model reads at most this many years here (a copy of model/nlswork whose manifest
 *  says so), so that a "context" escalation can be asked for within the API's 60 years. */
const SMALL_CONTEXT_YEARS = 8;

/**
 * Automatic escalation on the proxied edge: thresholds and cases read from the shipped nlswork small model's
 * own answers (run here through onnxruntime-node, as the edge runs it), so that they hold for whatever model
 * is shipped. HISTORY's answer is within the thresholds, so the fault cases' edge-only requests stay at the
 * edge; `lowTop` has the lowest top probability of the one-year histories and `highEntropy` the highest
 * entropy of those above the top-probability threshold.
 */
async function escalationCases() {
  const dir = repoPath("model", "nlswork");
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as ModelManifest;
  const files = Object.fromEntries(["manifest.json", ...Object.keys(manifest.files)].map((f) => [f, new Uint8Array(readFileSync(path.join(dir, f)))]));
  const { model } = await loadSmallModel(await loadModel(files, "nlswork"), files, (onnx) => nodeRuntimeOf(onnx));
  const measure = async (history: { year: number; occupation: string }[]) => {
    const probs = await model.predict({ person: {}, history, nextYear: history.at(-1)!.year + manifest.step_years });
    let top = 0, entropy = 0;
    for (const p of probs) (top = Math.max(top, p)), (entropy -= p > 0 ? p * Math.log2(p) : 0);
    return { history, top, entropy };
  };
  const base = await measure(HISTORY);
  const singles = await Promise.all(model.labels.labels.filter((l) => /^\d+$/.test(l.code)).map((l) => measure([{ year: 1978, occupation: l.code }])));
  const lowTop = singles.reduce((a, b) => (b.top < a.top ? b : a));
  const maxProb = Math.ceil(lowTop.top * 1000 + 1) / 1000;
  const highEntropy = singles.filter((c) => c.top >= maxProb).reduce((a, b) => (b.entropy > a.entropy ? b : a));
  const entropyBits = Math.floor(((base.entropy + highEntropy.entropy) / 2) * 100) / 100;
  expect(base.top, "HISTORY's top probability must stay above the threshold").toBeGreaterThanOrEqual(maxProb);
  expect(highEntropy.entropy, "a one-year history more uncertain than HISTORY").toBeGreaterThan(entropyBits);
  expect(base.entropy).toBeLessThanOrEqual(entropyBits);
  return { maxProb, entropyBits, lowTop: lowTop.history, highEntropy: highEntropy.history };
}
let cases: Awaited<ReturnType<typeof escalationCases>>;

let origin: OriginProcess, proxy: FaultProxy, dev: WranglerDev, direct: WranglerDev;
let originPort: number;
const timings: Record<string, number> = {};

const varArgs = (vars: Record<string, string | number>) => Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);

beforeAll(async () => {
  cases = await escalationCases();
  // The nlswork models at both ends (the cases are its small model's answers), whatever the default.
  origin = await startOrigin({ args: ["--model", "nlswork"] });
  const scratch = mkdtempSync(path.join(tmpdir(), "routing-faults-"));
  const nlswork = folderWorkerArgs(scratch, repoModel("nlswork"));
  const shortContext = folderWorkerArgs(path.join(scratch, "short"), { nlswork: withSmallContext(path.join(scratch, "short"), SMALL_CONTEXT_YEARS) });
  originPort = Number(new URL(origin.base).port);
  proxy = await startFaultProxy(origin.base);
  const common = { WARMUP_POLICY: "wait", CACHE_TTL_SECONDS: 0 };
  [dev, direct] = await Promise.all([
    startWranglerDev({
      args: [...shortContext, ...varArgs({
        ...common,
        ORIGIN_URL: proxy.base,
        ORIGIN_TIMEOUT_MS: TIMEOUT_MS,
        ORIGIN_DEADLINE_MS: DEADLINE_MS,
        ORIGIN_RETRY_JITTER_MS: 50,
        BREAKER_FAILURES: 3,
        BREAKER_COOLDOWN_MS: COOLDOWN_MS,
        ESCALATE_UNSEEN_TOKENS: "true",
        ESCALATE_BELOW_MAX_PROB: cases.maxProb,
        ESCALATE_ABOVE_ENTROPY_BITS: cases.entropyBits,
      })],
    }),
    // Straight at the origin's port. Its time budget is far above anything here, so that only the origin's
    // process dying ends an attempt; the breaker stays closed through the two failures it sees.
    startWranglerDev({ args: [...nlswork, ...varArgs({ ...common, ORIGIN_URL: origin.base, ORIGIN_TIMEOUT_MS: 30_000, ORIGIN_DEADLINE_MS: 40_000, BREAKER_FAILURES: 10 })] }),
  ]);
  // Loads both edges' small models and warms the origin.
  expect((await ask("large")).served_by).toBe("origin");
  expect((await askAt(direct, { history: HISTORY, model: "large" })).served_by).toBe("origin");
}, 120_000);

afterAll(async () => {
  console.log("edge latency per case (ms, for information):", JSON.stringify(timings));
  await Promise.all([dev?.stop(), direct?.stop()]);
  await proxy?.close();
  await origin?.stop();
});

async function askAt(edge: WranglerDev, body: object, label?: string): Promise<PredictResponse> {
  const t0 = performance.now();
  const res = await fetch(`${edge.base}/v1/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ full_distribution: true, ...body }),
  });
  const text = await res.text();
  if (label) timings[label] = Math.round(performance.now() - t0);
  expect(res.status, text).toBe(200);
  return PredictResponseSchema.parse(JSON.parse(text));
}

const ask = (model?: string, label?: string) => askAt(dev, { history: HISTORY, ...(model ? { model } : {}) }, label);

async function breakerState(edge: WranglerDev): Promise<string> {
  return ((await (await fetch(`${edge.base}/health`)).json()) as { origin: { breaker: string } }).origin.breaker;
}

/** Waits (polling /health, no fixed sleep) until the edge's breaker lets a probe through, then checks that
 *  the origin answers again, which closes it. */
async function breakerClosed(): Promise<void> {
  proxy.set({ kind: "pass" });
  while ((await breakerState(dev)) === "open") await new Promise((r) => setTimeout(r, 100));
  const answer = await ask("large");
  expect(answer.served_by).toBe("origin");
  expect(await breakerState(dev)).toBe("closed");
}

const degradedBy = (why: string) => new RegExp(`^the origin failed \\(${why}\\): answered at the edge$`);
// What workerd's fetch reports for a connection refused, reset or lost: the routing layer keeps the error's name.
const NETWORK = degradedBy("network: the origin could not be reached \\(Error\\)");

describe("routing to the origin", () => {
  it('model "large" is answered by the origin, saying why', async () => {
    proxy.resetHits();
    const answer = await ask("large", "origin ok");
    expect(answer).toMatchObject({ model: "nlswork", served_by: "origin", engine: "large", route: { reason: "requested" } });
    expect(answer.degraded).toBeUndefined();
    expect(proxy.hits()).toBeGreaterThanOrEqual(1);
    const total = Object.values(answer.distribution!).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
  });

  it("equivalents asked of the large model: the origin lists them, as the edge would", async () => {
    const answer = await askAt(dev, { history: HISTORY, model: "large", equivalents: "soc2018" });
    expect(answer).toMatchObject({ served_by: "origin", engine: "large" });
    expect(answer.degraded).toBeUndefined();
    for (const p of answer.predictions) expect(p.equivalents, p.code).toEqual(equivalentsOf(p.code, { taxonomy: "nlswork", system: "soc2018" }));
  });

  it("a confident answer with every token seen in training stays at the edge, escalation on: the origin is not asked", async () => {
    proxy.resetHits();
    const answer = await ask(undefined, "edge only");
    expect(answer).toMatchObject({ served_by: "edge", engine: "small", route: { reason: "edge", detail: expect.stringMatching(/within the thresholds$/) } });
    expect(answer.degraded).toBeUndefined();
    expect(proxy.hits()).toBe(0);
  });

  const faults: [string, Fault, RegExp][] = [
    ["origin 500", { kind: "status", status: 500 }, degradedBy("status: the origin answered 500")],
    ["origin 503", { kind: "status", status: 503 }, degradedBy("status: the origin answered 503")],
    ["truncated body", { kind: "truncate" }, degradedBy("network: the origin's response was cut off")],
    ["malformed JSON", { kind: "malformed" }, degradedBy("malformed: the origin's response is not valid JSON")],
    ["connection reset", { kind: "reset" }, NETWORK],
  ];
  for (const [label, fault, reason] of faults) {
    it(`${label}: the edge's answer, marked degraded with the reason, after at most one retry`, async () => {
      proxy.set(fault);
      proxy.resetHits();
      const answer = await ask("large", label);
      const hits = proxy.hits();
      proxy.set({ kind: "pass" });
      expect(answer).toMatchObject({ served_by: "edge", engine: "small", degraded: true, route: { reason: "requested" } });
      expect(answer.reason).toMatch(reason);
      // The origin was asked, once or twice: these failures are retryable, and the one retry happens when the
      // deadline leaves room for it (routing.test.ts counts it exactly, on its own clock).
      expect(hits).toBeGreaterThanOrEqual(1);
      expect(hits).toBeLessThanOrEqual(2);
      // A success closes the count of consecutive failures before the next case.
      expect((await ask("large")).served_by).toBe("origin");
    });
  }

  it("an origin that never answers: the edge gives up by itself (timeout or deadline), cancels its requests and answers degraded", async () => {
    proxy.set({ kind: "hold" });
    proxy.resetHits();
    // The origin never answers: this resolves only because the edge stops waiting (else the test's timeout fails it).
    const answer = await ask("large", "origin never answers");
    proxy.set({ kind: "pass" });
    expect(answer).toMatchObject({ served_by: "edge", engine: "small", degraded: true, route: { reason: "requested" } });
    expect(answer.reason).toMatch(degradedBy(`timeout: no answer within ${TIMEOUT_MS} ms|deadline: no answer within the ${DEADLINE_MS} ms deadline`));
    const hits = proxy.hits();
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(hits).toBeLessThanOrEqual(2);
    // Every request the edge sent was abandoned by the edge itself (it closed the connection): none is left
    // running at the origin.
    await proxy.until(() => proxy.abandoned() === hits);
    expect((await ask("large")).served_by).toBe("origin");
  });

  it("after repeated failures the breaker opens: answers come at once, without calling the origin; it closes once the origin is back", async () => {
    proxy.set({ kind: "status", status: 500 });
    for (let i = 0; i < 3; i++) expect((await ask("large")).reason).toMatch(degradedBy("status: the origin answered 500"));
    proxy.resetHits();
    const open = await ask("large", "breaker open");
    expect(open).toMatchObject({ served_by: "edge", engine: "small", degraded: true, route: { reason: "requested" } });
    expect(open.reason).toMatch(/^the origin's circuit is open \(retry in \d+ s\): answered at the edge$/);
    expect(proxy.hits()).toBe(0);
    expect(await breakerState(dev)).toBe("open");
    await breakerClosed();
    expect(proxy.hits()).toBeGreaterThanOrEqual(1); // the probe
  }, 120_000);
});

describe("automatic escalation: the edge sends what its small model should not answer to the origin", () => {
  // All through the proxy, passing everything: its hit counter is what reached the origin.
  const escalates = async (history: object[], reason: string, detail: RegExp, label: string) => {
    proxy.set({ kind: "pass" });
    proxy.resetHits();
    const answer = await askAt(dev, { history }, label);
    expect(answer).toMatchObject({ model: "nlswork", served_by: "origin", engine: "large", route: { reason, detail: expect.stringMatching(detail) } });
    expect(answer.degraded).toBeUndefined();
    expect(proxy.hits()).toBeGreaterThanOrEqual(1);
  };

  it("unseen: a year past the small model's data (nlswork ends in 1988) is answered by the origin", async () => {
    await escalates([{ year: 2015, occupation: "3" }], "unseen", /^\d+ (year\(s\) or occupation\(s\) of the question outside the small model's training data \(\d{4}-1988\)|token\(s\) of the prompt never appeared in the small model's training text)$/, "escalated: unseen");
  });

  it("uncertain: a top probability below ESCALATE_BELOW_MAX_PROB is answered by the origin", async () => {
    await escalates(cases.lowTop, "uncertain", new RegExp(`^top probability 0\\.\\d+ < ${cases.maxProb}$`), "escalated: top probability");
  });

  it("uncertain: an entropy above ESCALATE_ABOVE_ENTROPY_BITS is answered by the origin", async () => {
    await escalates(cases.highEntropy, "uncertain", new RegExp(`^entropy \\d\\.\\d+ bits > ${cases.entropyBits}$`), "escalated: entropy");
  });

  it(`context: a history past the small model's context (${SMALL_CONTEXT_YEARS} years here) is answered by the origin's large model`, async () => {
    const history = Array.from({ length: SMALL_CONTEXT_YEARS + 2 }, (_, i) => ({ year: 1968 + 2 * i, occupation: i % 2 ? "4" : "3" }));
    await escalates(history, "context", /^the history is longer than the small model reads$/, "escalated: context");
  });

  it("context past the large model's too (60 years, past its 512 tokens): the origin refuses (422), the edge's baseline answers, degraded, and the breaker stays closed", async () => {
    const long = Array.from({ length: 60 }, (_, i) => ({ year: 1930 + i, occupation: "4" }));
    proxy.set({ kind: "pass" });
    proxy.resetHits();
    // As many refusals as it takes failures to open the breaker: a 422 is about the request, not the origin's health.
    for (let i = 1; i <= 3; i++) {
      const answer = await askAt(dev, { history: long }, "escalated: context, refused");
      expect(answer).toMatchObject({ served_by: "edge", engine: expect.stringMatching(/^baseline:/), degraded: true, route: { reason: "context", detail: "the history is longer than the small model reads" } });
      expect(answer.reason).toMatch(/^the origin failed \(status: the origin answered 422\): answered at the edge; the history is 60 (years|tokens); the small model reads at most \d+: answered by the baseline predictor$/);
      expect(proxy.hits()).toBe(i); // a 422 is not retried
    }
    expect(await breakerState(dev)).toBe("closed");
    expect((await ask("large")).served_by).toBe("origin");
  });
});

/** A copy of model/nlswork in `root`/model/nlswork whose manifest says its small model reads at most `years`
 *  (the manifest is not among the files it checks, so the copy verifies). Returns the folder. */
function withSmallContext(root: string, years: number): string {
  const dir = path.join(root, "model", "nlswork");
  cpSync(repoPath("model", "nlswork"), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as ModelManifest;
  manifest.language_models!.small.max_tokens = years;
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return dir;
}

/** onnxruntime-node over a model's bytes, as core/load-small-model.ts asks for. */
async function nodeRuntimeOf(onnx: Uint8Array): Promise<OrtRuntime> {
  const session = await ort.InferenceSession.create(onnx);
  return { session: session as unknown as OrtRuntime["session"], Tensor: ort.Tensor as unknown as OrtRuntime["Tensor"] };
}

/** Bytes received on established TCP connections to `port` that no process has read yet (Linux /proc/net). */
function unreadBytesAt(port: number): number {
  let bytes = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(file, "utf8").trim().split("\n").slice(1)) {
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (parseInt(local!.split(":").at(-1)!, 16) === port && state === "01") bytes += parseInt(queues!.split(":")[1]!, 16);
    }
  }
  return bytes;
}

/** Whether a TCP connection to the port is refused (nothing listens there). */
async function refused(port: number): Promise<boolean> {
  const socket = connect(port, "127.0.0.1");
  const outcome = await new Promise<string | undefined>((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code));
  });
  socket.destroy();
  return outcome === "ECONNREFUSED";
}

describe("the origin's process dies (the edge straight at the origin's port, no proxy)", () => {
  it("SIGKILL while a request is in flight at the origin: the edge answers, degraded, with the network failure", async () => {
    const pid = origin.child.pid!;
    // Frozen, the origin still receives (the kernel accepts the connection and queues the request) but
    // cannot answer: the request stays in flight at it until the kill.
    process.kill(pid, "SIGSTOP");
    let settled = false;
    const pending = askAt(direct, { history: HISTORY, model: "large" }, "origin SIGKILLed").finally(() => (settled = true));
    // The event: the request's bytes are waiting in the origin's socket (polled from the kernel; the test's timeout guards it).
    while (unreadBytesAt(originPort) === 0) await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    const exited = once(origin.child, "exit");
    process.kill(pid, "SIGKILL");
    expect((await exited)[1]).toBe("SIGKILL");
    const answer = await pending;
    expect(answer).toMatchObject({ served_by: "edge", engine: "small", degraded: true, route: { reason: "requested" } });
    // The attempt in flight lost its connection; the retry found the port closed: both are network failures.
    expect(answer.reason).toMatch(NETWORK);
    // The edge's own answers are unaffected.
    const own = await askAt(direct, { history: HISTORY });
    expect(own).toMatchObject({ served_by: "edge", engine: "small", route: { reason: "edge" } });
    expect(own.degraded).toBeUndefined();
  });

  it("a port that nothing listens on: the connection is refused, the edge answers, degraded, with the network failure", async () => {
    await origin.stop(); // already gone when the case above ran
    expect(await refused(originPort)).toBe(true);
    const answer = await askAt(direct, { history: HISTORY, model: "large" }, "closed port");
    expect(answer).toMatchObject({ served_by: "edge", engine: "small", degraded: true, route: { reason: "requested" } });
    expect(answer.reason).toMatch(NETWORK);
  });

  it("restarted on its port, the origin answers both edges again", async () => {
    origin = await startOrigin({ port: originPort, args: ["--model", "nlswork"] });
    expect(await breakerState(direct)).toBe("closed"); // 2 failures, 10 open it
    expect((await askAt(direct, { history: HISTORY, model: "large" })).served_by).toBe("origin");
    proxy.resetHits();
    expect((await ask("large")).served_by).toBe("origin");
    expect(proxy.hits()).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
