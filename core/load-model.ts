// From the raw bytes of a model folder to a ready Predictor, refusing anything that does not match its
// manifest. Platform-free: the Worker hands it bundled bytes, the origin and scripts bytes read from disk.
import { isDistribution } from "./distribution.ts";
import { ArtifactIntegrityError, verifyArtifact, type LabelsFile, type ModelManifest } from "./model-artifact.ts";
import { createPredictor, type BaselineParams, type Predictor } from "./predictors/index.ts";
import { LabelSet, isLabelSetId, isSpecialState, type Label } from "./taxonomy.ts";

export interface VerifiedModel {
  name: string;
  manifest: ModelManifest;
  labels: LabelSet;
  predictor: Predictor;
}

export type ModelFiles = Readonly<Record<string, Uint8Array | ArrayBuffer>>;

const BASELINE_KINDS: readonly string[] = ["frequency", "ngram", "logit"];

function parseJson(name: string, bytes: Uint8Array | ArrayBuffer, model: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ArtifactIntegrityError(`model ${model}: ${name} is not valid JSON (${(e as Error).message})`);
  }
}

function readManifest(files: ModelFiles, model: string): ModelManifest {
  const bytes = files["manifest.json"];
  if (!bytes) throw new ArtifactIntegrityError(`model ${model}: manifest.json is missing`);
  const m = parseJson("manifest.json", bytes, model) as Partial<ModelManifest> | null;
  const problems: string[] = [];
  if (typeof m !== "object" || m === null) throw new ArtifactIntegrityError(`model ${model}: manifest.json is not an object`);
  if (typeof m.name !== "string") problems.push("name");
  if (typeof m.taxonomy !== "string" || !isLabelSetId(m.taxonomy)) problems.push("taxonomy");
  if (typeof m.kind !== "string") problems.push("kind");
  if (typeof m.step_years !== "number" || !(m.step_years > 0)) problems.push("step_years");
  const years = m.interview_years;
  if (years !== undefined && !(Array.isArray(years) && years.every((y, i) => Number.isInteger(y) && (i === 0 || y > years[i - 1]!)))) problems.push("interview_years");
  if (typeof m.files !== "object" || m.files === null) problems.push("files");
  if (problems.length) throw new ArtifactIntegrityError(`model ${model}: manifest.json has missing or invalid ${problems.join(", ")}`);
  return m as ModelManifest;
}

/**
 * Verifies every file against the manifest (sha256 and size), then builds the label set and the predictor
 * and checks that one prediction is a distribution over that label set. Throws ArtifactIntegrityError with
 * the reason otherwise. `model` names the folder in messages.
 */
export async function loadModel(files: ModelFiles, model = "model"): Promise<VerifiedModel> {
  const manifest = readManifest(files, model);
  // The edge's baseline predictor: other files in the folder (the language models) are checked by their users.
  const decoded = await verifyArtifact(manifest, files, ["labels.json", "predictor.json"]);

  const labelsFile = decoded["labels.json"] as LabelsFile;
  if (labelsFile.taxonomy !== manifest.taxonomy)
    throw new ArtifactIntegrityError(`model ${model}: labels.json taxonomy ${labelsFile.taxonomy}, manifest says ${manifest.taxonomy}`);
  if (!Array.isArray(labelsFile.labels) || labelsFile.labels.length === 0)
    throw new ArtifactIntegrityError(`model ${model}: labels.json has no labels`);
  const labels = labelSetOf(labelsFile, model);

  const params = decoded["predictor.json"] as BaselineParams;
  if (!BASELINE_KINDS.includes(params?.kind))
    throw new ArtifactIntegrityError(`model ${model}: predictor kind ${JSON.stringify(params?.kind)} is not supported here`);
  let predictor: Predictor;
  try {
    predictor = createPredictor(params, labels);
  } catch (e) {
    throw new ArtifactIntegrityError(`model ${model}: predictor.json is unusable (${(e as Error).message})`);
  }
  smokeTest(predictor, labels, model);
  return { name: manifest.name, manifest, labels, predictor };
}

/** The label set of labels.json: every label a code and a title (and a known special state where it names
 * one), no code or special state twice. */
export function labelSetOf(labelsFile: LabelsFile, model: string): LabelSet {
  const wellFormed = (l: Label) =>
    typeof l?.code === "string" && l.code !== "" && typeof l.title === "string" && (l.special === undefined || isSpecialState(l.special));
  const bad = labelsFile.labels.findIndex((l) => !wellFormed(l));
  if (bad >= 0) throw new ArtifactIntegrityError(`model ${model}: labels.json label ${bad} is not a code and title (with a known special state)`);
  try {
    return new LabelSet(labelsFile.taxonomy, labelsFile.labels);
  } catch (e) {
    throw new ArtifactIntegrityError(`model ${model}: labels.json is unusable (${(e as Error).message})`);
  }
}

/** One prediction for a one-year history: a finite, non-negative vector over the label set summing to 1. */
function smokeTest(predictor: Predictor, labels: LabelSet, model: string): void {
  const first = labels.labels[0]!;
  const probs = predictor.predict({ person: {}, history: [{ year: 2000, occupation: first.code }], nextYear: 2001 });
  if (!isDistribution(probs, labels.size))
    throw new ArtifactIntegrityError(`model ${model}: the predictor does not produce a distribution over its ${labels.size} labels`);
}
