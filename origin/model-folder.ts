// A model folder as the origin serves it: the manifest, and the three files the large model needs
// (large.onnx, tokenizer.json, labels.json) read once and checked against it; anything that does not match
// stops the origin at start-up with the reason. The other files (the edge's small model, its baseline) are
// not the origin's business and are not read.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { StayMoveCalibration } from "../core/calibration.ts";
import { LargePrompts } from "../core/large-model.ts";
import { ArtifactIntegrityError, verifyArtifact, type LabelsFile, type ModelManifest } from "../core/model-artifact.ts";
import type { Rendering } from "../core/resume.ts";
import { labelSetOf } from "../core/load-model.ts";
import type { LabelSet } from "../core/taxonomy.ts";
import { loadTokenizer, type ResumeTokenizer } from "../core/tokenizer.ts";

/** Everything a model thread needs to build the large model: plain data, sent to each worker. */
export interface ModelSpec {
  name: string;
  source: string;
  maxTokens: number;
  rendering: Rendering;
  labels: LabelsFile;
  tokenizer: object;
  onnx: Uint8Array;
}

/** A verified model as the HTTP thread uses it: validating and tokenising requests, no session. */
export interface OriginModel {
  name: string;
  manifest: ModelManifest;
  labels: LabelSet;
  tokenizer: ResumeTokenizer;
  prompts: LargePrompts;
  /** Applied to every answer of the large model (absent in a folder built before: served raw). */
  calibration?: StayMoveCalibration;
  parameters: number;
  spec: ModelSpec;
}

async function readIn(dir: string, name: string, model: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path.join(dir, name)));
  } catch (e) {
    throw new ArtifactIntegrityError(`model ${model}: cannot read ${name} in ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export async function loadModelFolder(dir: string): Promise<OriginModel> {
  const folder = path.basename(path.resolve(dir));
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await readIn(dir, "manifest.json", folder))) as ModelManifest;
  } catch (e) {
    if (e instanceof ArtifactIntegrityError) throw e;
    throw new ArtifactIntegrityError(`model ${folder}: manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const lm = manifest?.language_models;
  if (typeof manifest?.name !== "string" || !lm?.large?.file || !lm.tokenizer)
    throw new ArtifactIntegrityError(`model ${folder}: the manifest names no large language model (language_models.large), so the origin has nothing to serve`);
  const names = [lm.large.file, lm.tokenizer, "labels.json"];
  const files: Record<string, Uint8Array> = {};
  for (const name of names) files[name] = await readIn(dir, name, manifest.name);
  const decoded = await verifyArtifact(manifest, files, names);

  const labelsFile = decoded["labels.json"] as LabelsFile;
  if (labelsFile?.taxonomy !== manifest.taxonomy || !Array.isArray(labelsFile.labels) || labelsFile.labels.length === 0)
    throw new ArtifactIntegrityError(`model ${manifest.name}: labels.json does not hold a label list of taxonomy ${manifest.taxonomy}`);
  const tokenizerJson = decoded[lm.tokenizer] as object;
  const labels = labelSetOf(labelsFile, manifest.name);
  const tokenizer = loadTokenizer(tokenizerJson);
  const rendering = lm.large.rendering ?? "titles";
  const spec: ModelSpec = {
    name: manifest.name,
    source: manifest.source,
    maxTokens: lm.large.max_tokens,
    rendering,
    labels: labelsFile,
    tokenizer: tokenizerJson,
    onnx: files[lm.large.file]!,
  };
  return {
    name: manifest.name,
    manifest,
    labels,
    tokenizer,
    prompts: new LargePrompts(tokenizer, labels, manifest.source, lm.large.max_tokens, rendering),
    ...(lm.large.calibration ? { calibration: checkedCalibration(lm.large.calibration, manifest.name) } : {}),
    parameters: lm.large.parameters,
    spec,
  };
}

/** The manifest's calibration of the large model, if it is usable: finite numbers, temperatures above 0, and
 *  where there are knots, as many slopes, all above 0, the knots ascending (a monotone map). */
function checkedCalibration(c: StayMoveCalibration, model: string): StayMoveCalibration {
  const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const knots = c.stay_knots ?? [];
  const slopes = c.stay_slopes ?? [];
  const usable =
    [c.temperature, c.stay_scale, c.stay_shift, c.move_temperature].every(finite) && c.temperature > 0 && c.move_temperature > 0 &&
    Array.isArray(knots) && Array.isArray(slopes) && knots.length === slopes.length && [...knots, ...slopes].every(finite) &&
    knots.every((k, i) => i === 0 || k > knots[i - 1]!) && (knots.length === 0 || [c.stay_scale, ...slopes].every((s) => s > 0));
  if (!usable)
    throw new ArtifactIntegrityError(
      `model ${model}: language_models.large.calibration ${JSON.stringify(c)} is not a calibration (finite numbers, temperatures above 0, knots ascending with a positive slope each)`,
    );
  return c;
}
