// onnxruntime-web (wasm build) inside workerd. workerd compiles no WebAssembly from bytes at run time and has
// no import.meta.url, so the runtime's binary comes in as a precompiled module (wrangler's CompiledWasm
// rule) and the emscripten glue's instantiation of `wasmBinary` is pointed at it: the glue is handed a
// marker buffer, and WebAssembly.instantiate turns that marker into an instance of the precompiled module.
// One thread, no proxy worker: a Worker isolate has neither.
import * as ort from "onnxruntime-web/wasm";
import ortWasmModule from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import type { OrtRuntime } from "../../core/small-model.ts";

const MARKER = new TextEncoder().encode("labor-llm-edge:precompiled-ort-wasm");

function isMarker(source: unknown): boolean {
  if (!(source instanceof Uint8Array || source instanceof ArrayBuffer)) return false;
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  return bytes.byteLength === MARKER.byteLength && bytes.every((b, i) => b === MARKER[i]);
}

let initialised = false;
/** How long instantiating the precompiled runtime took (once per isolate), for the cold-start breakdown. */
let instantiateMs: number | undefined;
let memory: WebAssembly.Memory | undefined;
export const wasmInstantiateMs = (): number | undefined => instantiateMs;
/** Bytes of the runtime's wasm linear memory (weights, arena, tensors): most of what a model costs the isolate. */
export const wasmMemoryBytes = (): number | undefined => memory?.buffer.byteLength;

function initialiseRuntime(): void {
  if (initialised) return;
  initialised = true;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (...args: unknown[]) => Promise<unknown>;
  // The glue calls instantiate(bytes, imports) and reads {instance, module}; with a Module the built-in
  // returns only the Instance, so the pair is rebuilt here.
  (WebAssembly as { instantiate: unknown }).instantiate = async (source: unknown, imports?: WebAssembly.Imports) => {
    if (!isMarker(source)) return instantiate(source, imports);
    const started = performance.now();
    const instance = await WebAssembly.instantiate(ortWasmModule, imports);
    instantiateMs = performance.now() - started;
    const exported = instance.exports["memory"];
    const imported = Object.values(imports ?? {}).flatMap((m) => Object.values(m)).find((v) => v instanceof WebAssembly.Memory);
    memory = exported instanceof WebAssembly.Memory ? exported : (imported as WebAssembly.Memory | undefined);
    return { instance, module: ortWasmModule };
  };
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = MARKER;
  ort.env.logLevel = "error";
}

/** Session options. A cold start is mostly onnxruntime's one-time initialisation, not graph optimisation
 *  (docs/edge.md), so full optimisation costs little and keeps warm runs fast. */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ["wasm"],
  graphOptimizationLevel: "all",
};

/** A session over an ONNX model's bytes, ready to run. The first call also instantiates the runtime. */
export async function createOrtRuntime(model: Uint8Array, options: ort.InferenceSession.SessionOptions = SESSION_OPTIONS): Promise<OrtRuntime> {
  initialiseRuntime();
  const session = await ort.InferenceSession.create(model, options);
  return { session: session as unknown as OrtRuntime["session"], Tensor: ort.Tensor as unknown as OrtRuntime["Tensor"] };
}
