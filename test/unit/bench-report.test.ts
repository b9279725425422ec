// The benchmark report: the targets are judged the right way round (at most / at least), and the chart and
// the Markdown carry every figure of a run.
import { describe, expect, it } from "vitest";
import { benchChart } from "../../scripts/bench/chart.ts";
import { memoryOf, targets, targetsMarkdown, workerMarkdown, type BenchResults, type LoadStats } from "../../scripts/bench/report.ts";

const stats = (connections: number, p50: number, rps: number): LoadStats => ({ connections, requests: rps * 5, rps, mean_ms: p50 + 0.5, p50_ms: p50, p99_ms: p50 * 3, errors: 0 });
const memory = (jsUsed: number) => memoryOf({ js_used_mib: jsUsed, js_total_mib: jsUsed + 3, backing_mib: 2.5, wasm_mib: 16 });

function run(overrides: { warm?: number; webMs?: number; coldMs?: number; gzip?: number } = {}): BenchResults {
  return {
    machine: { date: "2026-11-26", cpu: "test", cores: 2, memory_gib: 24, node: "v24" },
    small_model: {
      runs: 10,
      rows: [{ file: "model/nlswork/small.onnx", prompt: "median (51 tokens)", bytes: 1, web_p50_ms: overrides.webMs ?? 0.8, web_p99_ms: 1, node1_p50_ms: 0.2, node1_p99_ms: 0.3, node_p50_ms: 0.18, node_p99_ms: 0.3, web_speed_vs_native: 0.2 / (overrides.webMs ?? 0.8), max_prob_change: 0 }],
    },
    worker: {
      default_model: "nlswork",
      warm: [{ model: "nlswork", question: "median (51 tokens)", engine: "small", p50_ms: overrides.warm ?? 0.9, p99_ms: 2 }],
      in_isolate: { predict: { p50_ms: 1.2, p99_ms: 2 }, health: { p50_ms: 0.04, p99_ms: 0.1 } },
      cold: [
        { policy: "baseline", first_prediction_ms: overrides.coldMs ?? 35, engine: "baseline:ngram-4", load_ms: { session_ms: 380 }, memory_before: memory(4), memory_after: memory(9) },
        { policy: "wait", first_prediction_ms: 450, engine: "small", load_ms: { session_ms: 370 }, memory_before: memory(4), memory_after: memory(9.5) },
      ],
    },
    http: { seconds: 5, levels: [{ connections: 1, predict: stats(1, 6, 135), health: stats(1, 3, 229), p50_ratio: 2, mean_ratio: 6.5 / 3.5 }] },
    origin: { runs: 3, rows: [] },
    bundle: { files: [], bytes: 1, gzip: overrides.gzip ?? 4_900_000 },
  };
}

describe("benchmark targets", () => {
  it("judge at-most targets by measured / limit and the at-least one by limit / measured", () => {
    const t = Object.fromEntries(targets(run()).map((x) => [x.target, x.load]));
    expect(t["<= 1 ms"]).toBeCloseTo(0.9);
    expect(t["<= 3 ms"]).toBeCloseTo(2 / 3); // the warm p99
    expect(t["<= 1.3x"]).toBeCloseTo(6.5 / 3.5 / 1.3); // means: autocannon's percentiles are whole ms
    expect(t[">= 0.8x"]).toBeCloseTo(0.8 / 0.25);
    expect(t["<= 150 ms"]).toBeCloseTo(35 / 150); // the default policy's first prediction, not "wait"'s
    expect(t["<= 48 MB"]).toBeCloseTo((9.5 + 2.5 + 16) / 48); // the worst run
    expect(t["<= 5 MB"]).toBeCloseTo(4_900_000 / 2 ** 20 / 5);
  });

  it("says which are met, and by how much the others are missed", () => {
    const md = targetsMarkdown(run({ warm: 1.5, gzip: 4 * 2 ** 20 }));
    expect(md).toMatch(/warm prediction.*\| 1\.50 ms \| 150% \| \*\*no\*\* \(1\.50x\)/);
    expect(md).toMatch(/bundle, gzip.*4\.00 MB.*\| 80% \| yes/);
  });
});

describe("benchmark report", () => {
  it("the chart draws one bar per target, HTTP level and warm figure, in an SVG", () => {
    const svg = benchChart(run(), targets(run()));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<rect /g)!.length).toBe(1 /* background */ + 7 /* targets */ + 2 + 2 /* HTTP + legend */ + 3 /* small model */ + 1 /* warm */);
    expect(svg).toContain("POST /v1/predict 6.5 ms, 135 req/s");
  });

  it("the memory table adds the JS heap, backing stores and wasm memory", () => {
    expect(memory(9).total_mib).toBe(27.5);
    expect(workerMarkdown(run().worker)).toContain("9.0 + 2.5 + 16 = **27.5**");
  });
});
