// An ONNX file as the run-time's OrtRuntime (core/small-model.ts), through onnxruntime-node: what the
// evaluation, the benchmarks and the Node tests run the shipped models with.
import * as ort from "onnxruntime-node";
import type { OrtRuntime } from "../../core/small-model.ts";

export async function nodeRuntime(file: string, options: ort.InferenceSession.SessionOptions = {}): Promise<OrtRuntime> {
  const session = await ort.InferenceSession.create(file, options);
  return { session: session as unknown as OrtRuntime["session"], Tensor: ort.Tensor as unknown as OrtRuntime["Tensor"] };
}
