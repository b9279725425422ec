// The model artifact format: what `model/<name>/` holds and how a loader checks it before use.
// Platform-free (Web Crypto, TextDecoder), so the Worker, the origin and the scripts share it.
import type { StayMoveCalibration } from "./calibration.ts";
import { sha256Hex } from "./digest.ts";
import type { Label, LabelSetId } from "./taxonomy.ts";

export const ARTIFACT_FORMAT_VERSION = 1;

export interface ArtifactFile {
  sha256: string;
  bytes: number;
}

export interface ModelManifest {
  format_version: number;
  name: string;
  description: string;
  /** A built-in taxonomy, or `custom:NAME` for a user's own code list (labels.json holds its codes and titles). */
  taxonomy: LabelSetId;
  /** Which predictor reads predictor.json (a baseline kind for now; an ONNX model later). */
  kind: string;
  /** Header source name of the resume text the model was trained on. */
  source: string;
  /** Usual number of years between observations; the default gap to the predicted year. */
  step_years: number;
  /** The panel's interview years, ascending, where they are uneven: the default predicted year is the next
   *  one after the history (core/predict-response.ts nextYearOf). Absent: every step is step_years. */
  interview_years?: number[];
  /** sha256 and size of every other file in the folder, by file name. */
  files: Record<string, ArtifactFile>;
  data: { dataset: string; fingerprint: string; people: number; person_years: number };
  /** Test-split metrics from the evaluation harness, by model name. */
  metrics: Record<string, Record<string, number>>;
  /** The language models in the folder (absent for a baseline-only artifact). */
  language_models?: {
    tokenizer: string;
    /** The edge model, calibrated on the validation people (baked into its ONNX file): `temperature` over
     *  every label, then `stay_move` (scripts/lm/career_model.py, Calibration; absent in folders built
     *  before, calibrated by the temperature alone). `input`: "career" reads one step per observed year
     *  (core/career-steps.ts; `max_tokens` is the most years it reads). "tokens" (or absent) marks a folder
     *  built before, whose small model read the resume's tokens: the edge no longer serves those, and answers
     *  with the folder's baseline. */
    small: LanguageModelFile & {
      input?: "career" | "tokens";
      temperature: number;
      stay_move?: Omit<StayMoveCalibration, "temperature">;
      /** The years its training histories span and the states they hold (label indices); a question outside
       *  them is escalated. */
      seen?: { years: [number, number]; states: number[] };
      /** Whether the edge serves it: false when the best baseline had the lower NLL on the validation people
       *  (the edge then answers with that baseline, so a served model is never worse than it there).
       *  Absent: served (models built before the choice existed). */
      served?: boolean;
      /** The validation NLLs the choice was made on. */
      selection?: { small_validation_nll: number; baseline: string; baseline_validation_nll: number };
    };
    /** The origin model: continuation scoring; `rendering` of the labels it scores. `calibration`: fitted on
     *  the validation people, applied to every answer (core/calibration.ts; absent in folders built before:
     *  served raw). */
    large: LanguageModelFile & { rendering: "titles" | "codes"; calibration?: StayMoveCalibration };
  };
}

export interface LanguageModelFile {
  file: string;
  /** Longest token sequence the model reads (prompt, plus a candidate for the large model). */
  max_tokens: number;
  parameters: number;
  /** Where and how long it trained (absent in models built before the build recorded it). */
  training?: TrainingRecord;
}

/** A language model's training run, from its stage's JSON summary (scripts/lm/device.py). */
export interface TrainingRecord {
  /** "cpu", or the CUDA device's name (e.g. "NVIDIA H200"). */
  device: string;
  /** Wall-clock seconds of the stage (the fine-tuning for the large model, distillation and calibration for
   *  the small one). */
  seconds: number;
  /** Tokens the model was trained on (padding aside), over every epoch. */
  tokens: number;
  /** Optimiser steps. */
  steps: number;
}

/** labels.json: the output order of every probability vector the model produces (codes, titles, and for a
 * user's code list the special state a label of its own stands for). */
export interface LabelsFile {
  taxonomy: LabelSetId;
  labels: Label[];
}

export class ArtifactIntegrityError extends Error {
  override name = "ArtifactIntegrityError";
}

/**
 * Checks the named files (default: every file the manifest lists) against their sha256 and size; a missing,
 * unlisted or altered file throws ArtifactIntegrityError naming it. Each consumer checks what it uses: the
 * edge never receives the origin's large model, and the origin never the edge's small one. Returns the
 * checked .json files parsed, by name.
 */
export async function verifyArtifact(
  manifest: ModelManifest,
  files: Record<string, Uint8Array | ArrayBuffer>,
  names: readonly string[] = Object.keys(manifest.files),
): Promise<Record<string, unknown>> {
  if (manifest.format_version !== ARTIFACT_FORMAT_VERSION)
    throw new ArtifactIntegrityError(`model ${manifest.name}: format_version ${manifest.format_version}, expected ${ARTIFACT_FORMAT_VERSION}`);
  const decoded: Record<string, unknown> = {};
  for (const name of names) {
    const expected = manifest.files[name];
    if (!expected) throw new ArtifactIntegrityError(`model ${manifest.name}: manifest lists no ${name}`);
    const bytes = files[name];
    if (!bytes) throw new ArtifactIntegrityError(`model ${manifest.name}: file ${name} is missing`);
    const actual = await sha256Hex(bytes);
    if (actual !== expected.sha256 || bytes.byteLength !== expected.bytes)
      throw new ArtifactIntegrityError(`model ${manifest.name}: file ${name} does not match its manifest (sha256 ${actual}, expected ${expected.sha256})`);
    if (name.endsWith(".json")) decoded[name] = JSON.parse(new TextDecoder().decode(bytes));
  }
  return decoded;
}

/** Whether the edge answers with the folder's small model: it ships one of the input the edge runs, and the
 *  build chose it. */
export function servesSmallModel(manifest: Pick<ModelManifest, "language_models">): boolean {
  const small = manifest.language_models?.small;
  return small !== undefined && small.input === "career" && small.served !== false;
}
