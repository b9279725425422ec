// The benchmark results' shapes and their Markdown: each benchmark script prints its own section with these,
// and BENCHMARKS.md is rendered from the saved results of `npm run bench` (docs/bench/bench.json) and
// `npm run load` (docs/bench/load.json), with the chart (docs/bench/chart.svg) and the targets table.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { repoPath } from "../lib/paths.ts";
import { benchChart } from "./chart.ts";

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memory_gib: number;
  node: string;
}

export function machine(): Machine {
  return { date: new Date().toISOString().slice(0, 10), cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version };
}

export interface SmallModelRow {
  file: string;
  prompt: string;
  bytes: number;
  web_p50_ms: number;
  web_p99_ms: number;
  /** onnxruntime-node with one intra-op thread (as the Worker's wasm) and with its default (every core). */
  node1_p50_ms: number;
  node1_p99_ms: number;
  node_p50_ms: number;
  node_p99_ms: number;
  /** Edge speed as a share of native: native (one thread) p50 / onnxruntime-web p50. */
  web_speed_vs_native: number;
  max_prob_change: number;
}
export interface SmallModelBench {
  runs: number;
  rows: SmallModelRow[];
}

export interface WarmRow {
  model: string;
  question: string;
  engine: string;
  p50_ms: number;
  p99_ms: number;
}
export interface IsolateMemory {
  js_used_mib: number;
  js_total_mib: number;
  backing_mib: number;
  wasm_mib: number;
  /** JS heap in use + ArrayBuffer backing stores + wasm linear memory. */
  total_mib: number;
}
export interface ColdRow {
  policy: string;
  first_prediction_ms: number;
  engine: string;
  load_ms: Record<string, number>;
  memory_before: IsolateMemory;
  memory_after: IsolateMemory;
}
export interface WorkerBench {
  /** The deployment's default model: the one of the whole-request and cold-start figures. */
  default_model: string;
  warm: WarmRow[];
  /** Whole requests through the app's fetch inside the isolate (no HTTP, no proxy). */
  in_isolate: { predict: { p50_ms: number; p99_ms: number }; health: { p50_ms: number; p99_ms: number } };
  cold: ColdRow[];
}

export interface LoadStats {
  connections: number;
  requests: number;
  rps: number;
  /** autocannon records whole milliseconds: the mean carries the finer differences. */
  mean_ms: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}
export interface HttpLevel {
  connections: number;
  predict: LoadStats;
  health: LoadStats;
  p50_ratio: number;
  mean_ratio: number;
}
export interface HttpBench {
  seconds: number;
  levels: HttpLevel[];
}

export interface OriginRow {
  model: string;
  labels: number;
  prompt_tokens: number;
  /** The ONNX calls a question takes (labels batched by continuation length). */
  batches: number;
  all_labels_ms: number;
  /** Every label in one batch, padded to the longest continuation. */
  one_batch_ms: number;
  one_pass_per_label_ms: number;
  speedup: number;
  max_prob_difference: number;
}
export interface OriginBench {
  runs: number;
  rows: OriginRow[];
}

export interface BundleBench {
  files: { name: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
}

export interface BenchResults {
  machine: Machine;
  small_model: SmallModelBench;
  worker: WorkerBench;
  http: HttpBench;
  origin: OriginBench;
  bundle: BundleBench;
}

export interface SoakSample {
  requests: number;
  rss_mib: number;
  memory: IsolateMemory;
}
export interface LoadResults {
  machine: Machine;
  load200: LoadStats;
  soak: { requests: number; errors: number; samples: SoakSample[] };
}

export const BENCH_DIR = repoPath("docs", "bench");
export const BENCH_FILE = repoPath("docs", "bench", "bench.json");
export const LOAD_FILE = repoPath("docs", "bench", "load.json");
const CHART_FILE = repoPath("docs", "bench", "chart.svg");
const MARKDOWN_FILE = repoPath("BENCHMARKS.md");

const MiB = 2 ** 20;
const f = (x: number | undefined, digits = 3) => (x === undefined || Number.isNaN(x) ? "" : x.toFixed(digits));
const table = (head: string[], align: string[], rows: (string | number)[][]) =>
  [`| ${head.join(" | ")} |`, `|${align.join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export function memoryOf(parts: Omit<IsolateMemory, "total_mib">): IsolateMemory {
  return { ...parts, total_mib: parts.js_used_mib + parts.backing_mib + parts.wasm_mib };
}

export function smallModelMarkdown(r: SmallModelBench): string {
  return [
    `### The small model alone: onnxruntime-web (wasm, one thread, as in the Worker) against onnxruntime-node (native), ${r.runs} warm runs each, ms\n`,
    table(
      ["file", "prompt", "bytes", "web p50", "web p99", "native 1 thread p50", "p99", "native all cores p50", "p99", "edge speed / native (1 thread)", "max prob change"],
      ["---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      r.rows.map((x) => [x.file, x.prompt, x.bytes.toLocaleString("en"), f(x.web_p50_ms), f(x.web_p99_ms), f(x.node1_p50_ms), f(x.node1_p99_ms), f(x.node_p50_ms), f(x.node_p99_ms), `${f(x.web_speed_vs_native, 2)}x`, x.max_prob_change.toExponential(1)]),
    ),
  ].join("\n");
}

export function workerMarkdown(r: WorkerBench): string {
  const mem = (m: IsolateMemory) => `${f(m.js_used_mib, 1)} + ${f(m.backing_mib, 1)} + ${f(m.wasm_mib, 0)} = **${f(m.total_mib, 1)}**`;
  return [
    "### Warm prediction inside the Worker (inputs + run + distribution + top-k), ms\n",
    table(["model", "question", "engine", "p50", "p99"], ["---", "---", "---", "---:", "---:"], r.warm.map((w) => [w.model, w.question, w.engine, f(w.p50_ms), f(w.p99_ms)])),
    "\n### Whole requests inside the isolate (the app's fetch: middleware, body, validation, answer, JSON; no HTTP), ms\n",
    table(
      ["request", "p50", "p99"],
      ["---", "---:", "---:"],
      [[`POST /v1/predict (${r.default_model}, median question)`, f(r.in_isolate.predict.p50_ms), f(r.in_isolate.predict.p99_ms)], ["GET /health", f(r.in_isolate.health.p50_ms), f(r.in_isolate.health.p99_ms)]],
    ),
    "\n### Cold first prediction in a fresh Worker (a new workerd), ms, and the isolate's memory, MiB\n",
    "Memory is read from the isolate's V8 inspector after a full garbage collection: JavaScript heap in use + ArrayBuffer backing stores (the bundled files) + wasm linear memory.\n",
    table(
      ["WARMUP_POLICY", "first prediction", "engine", "verify", "session (incl. wasm instantiate)", "wasm instantiate", "first run", "memory before", "memory with the model loaded"],
      ["---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:"],
      r.cold.map((c) => [c.policy, f(c.first_prediction_ms, 1), c.engine, f(c.load_ms.verify_ms, 0), f(c.load_ms.session_ms, 0), f(c.load_ms.wasm_instantiate_ms, 0), f(c.load_ms.first_run_ms, 0), mem(c.memory_before), mem(c.memory_after)]),
    ),
  ].join("\n");
}

export function httpMarkdown(r: HttpBench): string {
  return [
    `### HTTP on \`wrangler dev\` (autocannon, ${r.seconds} s per level): POST /v1/predict against GET /health on the same server\n`,
    table(
      ["concurrency", "predict req/s", "mean ms", "p50 ms", "p99 ms", "health req/s", "mean ms", "p50 ms", "p99 ms", "predict / health, mean", "p50", "errors"],
      ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      r.levels.map((l) => [l.connections, f(l.predict.rps, 0), f(l.predict.mean_ms, 2), l.predict.p50_ms, l.predict.p99_ms, f(l.health.rps, 0), f(l.health.mean_ms, 2), l.health.p50_ms, l.health.p99_ms, f(l.mean_ratio, 2), f(l.p50_ratio, 2), l.predict.errors + l.health.errors]),
    ),
  ].join("\n");
}

export function originMarkdown(r: OriginBench): string {
  return [
    "### Origin: scoring every label of the median test question (onnxruntime-node, CPU, 2 threads), ms\n",
    "The prompt is run once a call and the labels scored over its cached keys and values, in batches of similar continuation length (as the origin does), against one batch of all labels padded to the longest, and one call per label.\n",
    table(
      ["model", "labels", "prompt tokens", "calls", "all labels, by length", "one padded batch", "one pass per label", "padded / by length", "per label / by length", "max prob difference"],
      ["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      r.rows.map((x) => [x.model, x.labels, x.prompt_tokens, x.batches, f(x.all_labels_ms, 2), f(x.one_batch_ms, 2), f(x.one_pass_per_label_ms, 1), `${f(x.one_batch_ms / x.all_labels_ms, 2)}x`, `${f(x.speedup, 1)}x`, x.max_prob_difference.toExponential(1)]),
    ),
  ].join("\n");
}

export function bundleMarkdown(r: BundleBench): string {
  return [
    "### Bundle (`npm run deploy -- --dry-run`, minified), gzip as wrangler reports it (default level; the total over all modules together)\n",
    table(
      ["module", "bytes", "gzip bytes"],
      ["---", "---:", "---:"],
      [...r.files.map((x) => [x.name.replace(/^[0-9a-f]{40}-/, ""), x.bytes.toLocaleString("en"), x.gzip.toLocaleString("en")]), ["**total**", r.bytes.toLocaleString("en"), `**${r.gzip.toLocaleString("en")}** (${f(r.gzip / MiB, 2)} MiB)`]],
    ),
  ].join("\n");
}

export function loadMarkdown(r: LoadResults): string {
  const first = r.soak.samples[0]!, last = r.soak.samples.at(-1)!;
  return [
    `### 200 concurrent clients on \`wrangler dev\` (autocannon)\n`,
    `${r.load200.requests} requests, ${f(r.load200.rps, 0)} req/s, p50 ${r.load200.p50_ms} ms, p99 ${r.load200.p99_ms} ms, **${r.load200.errors} errors**.`,
    `\n### Soak: ${r.soak.requests.toLocaleString("en")} predictions, ${r.soak.errors} errors\n`,
    `Each sample follows a full garbage collection. The isolate's live memory (JS heap in use + backing stores + wasm memory) went from ${f(first.memory.total_mib, 1)} to ${f(last.memory.total_mib, 1)} MiB; workerd's resident memory, which also holds the runtime and wrangler's proxy, from ${f(first.rss_mib, 0)} to ${f(last.rss_mib, 0)} MiB.\n`,
    table(
      ["after requests", "JS heap in use", "JS heap reserved", "backing stores", "wasm memory", "isolate total", "workerd RSS"],
      ["---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      r.soak.samples.map((s) => [s.requests.toLocaleString("en"), f(s.memory.js_used_mib, 1), f(s.memory.js_total_mib, 1), f(s.memory.backing_mib, 1), f(s.memory.wasm_mib, 0), f(s.memory.total_mib, 1), f(s.rss_mib, 0)]),
    ),
  ].join("\n");
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  /** measured / limit, or limit / measured for "at least" targets: <= 1 meets the target. */
  load: number;
}

/** The targets against one run's figures. */
export function targets(b: BenchResults): Target[] {
  const model = b.worker.default_model;
  const warm = b.worker.warm.find((w) => w.model === model && w.question.startsWith("median")) ?? b.worker.warm[0]!;
  const ratio = Math.max(...b.http.levels.map((l) => l.mean_ratio));
  const edge = b.small_model.rows.find((r) => r.prompt.startsWith("median")) ?? b.small_model.rows[0]!;
  const cold = Math.max(...b.worker.cold.filter((c) => c.policy === "baseline").map((c) => c.first_prediction_ms));
  const memory = Math.max(...b.worker.cold.map((c) => c.memory_after.total_mib));
  return [
    { what: `warm prediction in the Worker, p50 (${model}, median question)`, target: "<= 1 ms", measured: `${f(warm.p50_ms, 2)} ms`, load: warm.p50_ms / 1 },
    { what: `warm prediction in the Worker, p99 (${model}, median question)`, target: "<= 3 ms", measured: `${f(warm.p99_ms, 2)} ms`, load: warm.p99_ms / 3 },
    { what: "HTTP predict / GET /health latency, same server (mean; worst of concurrency 1, 16, 64)", target: "<= 1.3x", measured: `${f(ratio, 2)}x`, load: ratio / 1.3 },
    { what: "edge speed against native onnxruntime-node (one thread), same model", target: ">= 0.8x", measured: `${f(edge.web_speed_vs_native, 2)}x`, load: 0.8 / edge.web_speed_vs_native },
    { what: "cold first prediction, default WARMUP_POLICY (worst run)", target: "<= 150 ms", measured: `${f(cold, 1)} ms`, load: cold / 150 },
    { what: "isolate memory with the model loaded (worst run)", target: "<= 48 MB", measured: `${f(memory, 1)} MB`, load: memory / 48 },
    { what: "bundle, gzip (default deployment: one model)", target: "<= 5 MB", measured: `${f(b.bundle.gzip / MiB, 2)} MB`, load: b.bundle.gzip / MiB / 5 },
  ];
}

export function targetsMarkdown(b: BenchResults): string {
  return "Sizes in Cloudflare's and wrangler's units: 1 MB = 2^20 bytes.\n\n" + table(
    ["target", "goal", "measured", "share of the budget", "met"],
    ["---", "---", "---:", "---:", "---"],
    targets(b).map((t) => [t.what, t.target, t.measured, `${f(t.load * 100, 0)}%`, t.load <= 1 ? "yes" : `**no** (${f(t.load, 2)}x)`]),
  );
}

const readJson = <T>(file: string): T | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined);
const onMachine = (m: Machine) => `${m.date}, ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB, Node ${m.node}`;

/** Saves one benchmark's results and renders BENCHMARKS.md and the chart from everything saved. */
export function saveAndReport(file: typeof BENCH_FILE | typeof LOAD_FILE, results: BenchResults | LoadResults): void {
  mkdirSync(BENCH_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 1) + "\n");
  renderReport();
}

/** BENCHMARKS.md and the chart from the saved results (`node scripts/bench/report.ts` re-renders them). */
export function renderReport(): void {
  const bench = readJson<BenchResults>(BENCH_FILE);
  const load = readJson<LoadResults>(LOAD_FILE);
  const parts = [
    "# Benchmarks",
    "",
    "Rendered from `docs/bench/bench.json` (written by `npm run bench`) and `docs/bench/load.json` (`npm run load`): rerun them to replace every figure here. The machine is noisy: compare figures measured side by side in one run (the ratios), not across runs.",
  ];
  if (bench) {
    writeFileSync(CHART_FILE, benchChart(bench, targets(bench)));
    parts.push(
      "",
      `## npm run bench\n\n${onMachine(bench.machine)}.\n`,
      "![Targets met and missed, HTTP latency against the /health floor, warm latency against native](docs/bench/chart.svg)\n",
      "### Targets\n",
      targetsMarkdown(bench),
      "",
      workerMarkdown(bench.worker),
      "",
      smallModelMarkdown(bench.small_model),
      "",
      httpMarkdown(bench.http),
      "",
      originMarkdown(bench.origin),
      "",
      bundleMarkdown(bench.bundle),
    );
  }
  if (load) parts.push("", `## npm run load\n\n${onMachine(load.machine)}. Rate limiter and response cache off, \`WARMUP_POLICY=wait\`.\n`, loadMarkdown(load));
  writeFileSync(MARKDOWN_FILE, parts.join("\n") + "\n");
}

if (import.meta.main) renderReport();
