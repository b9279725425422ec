// From a verified model folder to a ready SmallModel: checks the ONNX file against the manifest, creates the
// inference session through the caller's runtime (onnxruntime-web in the Worker, onnxruntime-node elsewhere), and runs one prediction to prove the output is a distribution
// over the label set. Reports where the time went, because a cold start is paid by a real request.
import { isDistribution } from "./distribution.ts";
import type { VerifiedModel, ModelFiles } from "./load-model.ts";
import { ArtifactIntegrityError, verifyArtifact } from "./model-artifact.ts";
import { CareerInput, SmallModel, type OrtRuntime } from "./small-model.ts";

export type CreateRuntime = (onnx: Uint8Array) => Promise<OrtRuntime>;

/** Milliseconds spent in each step of loading (all measured with performance.now()). */
export interface SmallModelLoadTimings {
  verify_ms: number;
  session_ms: number;
  first_run_ms: number;
}

export async function loadSmallModel(
  base: VerifiedModel,
  files: ModelFiles,
  createRuntime: CreateRuntime,
): Promise<{ model: SmallModel; timings: SmallModelLoadTimings }> {
  const { manifest, labels } = base;
  const lm = manifest.language_models;
  if (!lm) throw new ArtifactIntegrityError(`model ${manifest.name}: the manifest lists no language models`);
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };

  // Called only for a folder servesSmallModel accepts: the career input, which needs no tokenizer.
  await verifyArtifact(manifest, files, [lm.small.file]);
  const verify_ms = lap();
  const input = new CareerInput(labels, lm.small.max_tokens, lm.small.seen);
  const onnx = files[lm.small.file]!;
  const runtime = await createRuntime(onnx instanceof Uint8Array ? onnx : new Uint8Array(onnx));
  const session_ms = lap();
  const model = new SmallModel(runtime, labels, input);

  const first = labels.labels[0]!;
  const probs = await model.predict({ person: {}, history: [{ year: 2000, occupation: first.code }], nextYear: 2001 });
  if (!isDistribution(probs, labels.size))
    throw new ArtifactIntegrityError(`model ${manifest.name}: ${lm.small.file} does not produce a distribution over its ${labels.size} labels`);
  return { model, timings: { verify_ms, session_ms, first_run_ms: lap() } };
}
