// Warm latency of the small edge model on a real prompt, in onnxruntime-web (wasm, one thread: the Worker's
// runtime) and in onnxruntime-node (the native reference), side by side in one run; optionally for
// quantised copies of the file, with their size and how far their answers move.
//   node scripts/bench/small-model.ts [--model model/nlswork] [--runs 2000] [--compare a.onnx ...] [--json]
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { repoPath } from "../lib/paths.ts";

const { values: args, positionals } = parseArgs({
  options: { model: { type: "string" }, runs: { type: "string", default: "2000" }, json: { type: "boolean", default: false }, compare: { type: "boolean", default: false } },
  allowPositionals: true,
});
const dir = args.model ?? repoPath("model", "nlswork");
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const small = path.join(dir, manifest.language_models!.small.file);
// The longest reference prompt: a realistic worst case for the shipped panel.
const refs: { input_ids: number[] }[] = JSON.parse(readFileSync(path.join(dir, "small-reference.json"), "utf8")).examples;
const ids = refs.map((r) => r.input_ids).sort((a, b) => b.length - a.length)[0]!;
const runs = Number(args.runs);
ortWeb.env.wasm.numThreads = 1;

type Runtime = typeof ortNode | typeof ortWeb;
async function measure(rt: Runtime, file: string) {
  const session = await rt.InferenceSession.create(new Uint8Array(readFileSync(file)));
  const feeds = {
    input_ids: new rt.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]),
    positions: new rt.Tensor("int64", BigInt64Array.of(BigInt(ids.length - 1)), [1, 1]),
  };
  let probs: Float32Array<ArrayBufferLike> = new Float32Array();
  for (let i = 0; i < 100; i++) probs = (await session.run(feeds as never)).probs!.data as Float32Array;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds as never);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50_ms: times[Math.floor(runs / 2)]!, p99_ms: times[Math.floor(runs * 0.99)]!, probs };
}

const rows = [];
let reference: Float32Array | undefined;
for (const file of [small, ...(args.compare ? positionals : [])]) {
  const web = await measure(ortWeb, file), native = await measure(ortNode, file);
  reference ??= web.probs;
  const drift = Math.max(...Array.from(web.probs, (p, i) => Math.abs(p - reference![i]!)));
  rows.push({
    file: path.relative(process.cwd(), file),
    bytes: statSync(file).size,
    web_p50_ms: web.p50_ms,
    web_p99_ms: web.p99_ms,
    node_p50_ms: native.p50_ms,
    node_p99_ms: native.p99_ms,
    web_over_node: web.p50_ms / native.p50_ms,
    max_prob_change: drift,
  });
}
if (args.json) console.log(JSON.stringify({ prompt_tokens: ids.length, runs, rows }, null, 2));
else {
  console.log(`small model, warm run of a ${ids.length}-token prompt, ${runs} runs each (ms)\n`);
  console.log("| file | bytes | onnxruntime-web p50 | p99 | onnxruntime-node p50 | p99 | web / node | max prob change |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows)
    console.log(`| ${r.file} | ${r.bytes.toLocaleString("en")} | ${r.web_p50_ms.toFixed(3)} | ${r.web_p99_ms.toFixed(3)} | ${r.node_p50_ms.toFixed(3)} | ${r.node_p99_ms.toFixed(3)} | ${r.web_over_node.toFixed(2)} | ${r.max_prob_change.toExponential(1)} |`);
}
