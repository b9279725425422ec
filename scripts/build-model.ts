// npm run build:model -- --dataset NAME [--panel FILE --taxonomy T|--labels FILE] [--smoke] [--limit-people N]
//                        [--epochs N] [--skip-variants] [--no-distill] [--export-only] [--out DIR] [--build-dir DIR]
//                        [--device auto|cpu|cuda] [--prepare-only] [--foundation-epochs N] [--foundation-people N]
// The whole chain, as resumable stages (intermediate files in build/): panel -> resume corpus -> foundation
// (tokenizer + LM pretrained on synthetic careers and O*NET text) -> large LM fine-tuned on the panel (plus
// the panel-only and codes variants) -> teacher distributions -> distilled, calibrated small model -> ONNX
// -> the large model calibrated on the validation people -> evaluation of every model on the test people ->
// model/NAME/ with a manifest (sha256 of every file, data fingerprint, metrics). --smoke runs every stage at
// toy size in seconds. --device picks where the Python stages run their models (default auto: CUDA when
// PyTorch sees a GPU); it is not part of any stage's key, so checkpoints trained on a GPU count as finished on
// a CPU machine. --prepare-only runs the Node-side stages (panel, corpus, tokenizer) and writes
// BUILD_DIR/gpu-plan.sh, the remaining training and scoring stages for scripts/gpu/train.sh on a GPU machine
// (docs/models.md, "Training on a GPU").
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sha256Hex } from "../core/digest.ts";
import type { StayMoveCalibration } from "../core/calibration.ts";
import { ARTIFACT_FORMAT_VERSION, type LabelsFile, type ModelManifest, type TrainingRecord } from "../core/model-artifact.ts";
import { LabelSet, SPECIAL_STATES, TAXONOMY_IDS } from "../core/taxonomy.ts";
import { codeTokens } from "../core/tokenizer.ts";
import { datasetOptionsFromArgs, DATASET_ARG_OPTIONS, limitPeople, loadDataset } from "./datasets.ts";
import { FULL, SMOKE, shapeArgs, type BuildConfig } from "./build/config.ts";
import { runPython } from "./build/python.ts";
import { StageRunner, type StageSpec } from "./build/stage.ts";
import { careerRecords, careerVocab, corpusLabels, corpusRecords, corpusText } from "./corpus.ts";
import { largeModelScores, pythonScoresScorer, smallModelScorer } from "./eval/lm-scorers.ts";
import { chooseEdgeEngine, describeEdgeEngine } from "./eval/edge-engine.ts";
import { evaluate, markdownTable, prepare, type ModelResult } from "./eval/evaluate.ts";
import { repoPath } from "./lib/paths.ts";
import { splitCareers } from "./lib/splits.ts";
import { onetDocuments } from "./onet-corpus.ts";
import { panelFingerprint } from "./panel/panel-csv.ts";
import { interviewYears } from "./panel/calendar.ts";
import { writeEdgeModels } from "./edge-models.ts";
import { careerSeen } from "./seen-tokens.ts";
import { panelLabels } from "./panel/panel-labels.ts";
import type { Panel } from "./panel/types.ts";

const { values: args } = parseArgs({
  options: {
    ...DATASET_ARG_OPTIONS,
    out: { type: "string" },
    "build-dir": { type: "string" },
    smoke: { type: "boolean", default: false },
    "limit-people": { type: "string" },
    /** Fine-tuning epochs on the panel (default: the config's). */
    epochs: { type: "string" },
    /** The foundation's pretraining budget: epochs over its corpus, and synthetic careers in it (default: the
     * config's; a GPU affords more). */
    "foundation-epochs": { type: "string" },
    "foundation-people": { type: "string" },
    /** Skip the panel-only and codes comparison models (they cost two more trainings). */
    "skip-variants": { type: "boolean", default: false },
    /** Train the small model on the true labels only: no teacher scoring of every training year line (on
     * 300+ labels that costs hours on a CPU). */
    "no-distill": { type: "boolean", default: false },
    /** Keep the trained checkpoints of an earlier build as they are (no training stage runs, even when its
     * inputs changed since; a scoring stage runs only where its output is missing): export, evaluate and write
     * the artifact again, e.g. after a change to the export. */
    "export-only": { type: "boolean", default: false },
    /** Where the Python stages run their models: auto (CUDA when available), cpu or cuda. Not part of any
     * stage's key. */
    device: { type: "string" },
    /** Run the Node-side stages only and write BUILD_DIR/gpu-plan.sh with the training and scoring stages
     * (for scripts/gpu/train.sh on a GPU machine). */
    "prepare-only": { type: "boolean", default: false },
  },
});
if (args.device !== undefined && !["auto", "cpu", "cuda"].includes(args.device)) throw new Error(`--device ${args.device}: expected auto, cpu or cuda`);
const deviceArgs = args.device ? ["--device", args.device] : [];
const log = (message: string) => console.error(message);
const preset: BuildConfig = args.smoke ? SMOKE : FULL;
const positive = (flag: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${flag} ${value}: expected a positive number`);
  return n;
};
const cfg: BuildConfig = {
  ...preset,
  panel: { ...preset.panel, epochs: positive("epochs", args.epochs, preset.panel.epochs) },
  foundation: {
    ...preset.foundation,
    epochs: positive("foundation-epochs", args["foundation-epochs"], preset.foundation.epochs),
    syntheticPeople: positive("foundation-people", args["foundation-people"], preset.foundation.syntheticPeople),
  },
};
const opts = datasetOptionsFromArgs(args);
const buildRoot = args["build-dir"] ?? repoPath("build", cfg.name);
const dir = path.join(buildRoot, opts.dataset);
const foundationDir = path.join(buildRoot, "foundation");
const outDir = args.out ?? repoPath("model", opts.dataset);
for (const d of [dir, foundationDir, outDir]) mkdirSync(d, { recursive: true });
const at = (...p: string[]) => path.join(dir, ...p);
const foundation = (...p: string[]) => path.join(foundationDir, ...p);
const stages = new StageRunner(buildRoot, log);
/** Training and scoring stages: run, or with --export-only kept as they are; there a scoring stage that never
 * ran (one added since the checkpoints were trained) runs: it trains nothing. */
const train = (spec: StageSpec, scoring = false) =>
  args["export-only"] && !(scoring && spec.outputs.some((o) => !existsSync(o))) ? stages.keep(spec) : stages.run(spec);
// Every stage that runs Python is keyed by its code too (the script and the modules it imports): changing
// the code reruns exactly the stages that use it. resume.py is left out on purpose: a resumed run ends as an
// unstopped one would (test/unit/lm-resume.test.ts), so editing it must not train finished stages again (the
// training states it saves are keyed by the code they load themselves).
const LM_SOURCES: Record<string, string[]> = {
  "bpe.py": ["bpe.py"],
  "train_lm.py": ["train_lm.py", "score.py", "model.py", "data.py", "bpe.py", "device.py"],
  "score.py": ["score.py", "model.py", "data.py", "bpe.py", "device.py"],
  "train_career.py": ["train_career.py", "career_model.py", "model.py", "device.py"],
  "calibrate_career.py": ["calibrate_career.py", "train_career.py", "career_model.py", "model.py", "device.py"],
  "calibrate_large.py": ["calibrate_large.py", "calibrate_career.py", "train_career.py", "career_model.py", "model.py", "data.py", "device.py"],
  "export_onnx.py": ["export_onnx.py", "quantize.py", "score.py", "career_model.py", "model.py", "data.py", "bpe.py", "device.py"],
};
const code = (script: string) => LM_SOURCES[script]!.map((f) => repoPath("scripts", "lm", f));
const py = (script: string, pyArgs: string[], label: string, logName: string) =>
  runPython(script, pyArgs, label, path.join(buildRoot, `${logName}.log`));
/** A training or scoring stage: one Python script run. With --prepare-only it goes into the GPU plan. */
interface PythonStage {
  name: string;
  inputs: string[];
  params: unknown;
  outputs: string[];
  script: string;
  args: string[];
  label: string;
  log: string;
  /** Scores with a trained model (score.py) rather than training one. */
  scoring?: boolean;
}
const planned: PythonStage[] = [];
const pyTrain = async (s: PythonStage): Promise<void> => {
  if (args["prepare-only"]) planned.push(s);
  else await train({ ...s, run: () => py(s.script, [...s.args, ...deviceArgs], s.label, s.log).then(() => {}) }, s.scoring);
};

// ---- data: the panel and its resume corpus (titles and codes renderings) ----
const dataset = limitPeople(await loadDataset(opts, log), Number(args["limit-people"] ?? cfg.limitPeople));
const { panel } = dataset;
const labels = panelLabels(panel);
writeCorpus(panel, at("corpus"));

// ---- foundation: tokenizer and LM pretrained on a larger, non-representative corpus ----
await train({
  name: "foundation-corpus",
  inputs: [],
  params: { cfg: cfg.foundation, version: 1 },
  outputs: [foundation("synthetic", "titles", "train.jsonl"), foundation("onet.txt"), foundation("titles.txt"), foundation("code-tokens.txt")],
  run: async () => {
    const synthetic = await loadDataset({ dataset: "synthetic", people: cfg.foundation.syntheticPeople, seed: cfg.foundation.syntheticSeed });
    writeCorpus(synthetic.panel, foundation("synthetic"));
    const docs = onetDocuments();
    writeFileSync(foundation("onet.txt"), (cfg.foundation.onetDocuments < 0 ? docs : docs.slice(0, cfg.foundation.onetDocuments)).join("\n"));
    // Every title of every taxonomy, so that the tokenizer knows them whatever panel comes later.
    const all = TAXONOMY_IDS.map((id) => LabelSet.of(id, SPECIAL_STATES.map((s) => s.code)));
    writeFileSync(foundation("titles.txt"), all.flatMap((l) => l.labels.map((x) => x.title)).join("\n") + "\n");
    writeFileSync(foundation("code-tokens.txt"), [...new Set(all.flatMap(codeTokens))].join("\n") + "\n");
  },
});
const tokenizer = foundation("tokenizer.json");
await train({
  name: "tokenizer",
  inputs: [...code("bpe.py"), foundation("synthetic", "titles", "train.txt"), foundation("onet.txt"), foundation("titles.txt"), foundation("code-tokens.txt")],
  params: { vocab: cfg.foundation.vocabSize },
  outputs: [tokenizer],
  run: () =>
    py("bpe.py", ["train", "--vocab-size", `${cfg.foundation.vocabSize}`, "--out", tokenizer, "--code-tokens", foundation("code-tokens.txt"),
      foundation("synthetic", "titles", "train.txt"), foundation("onet.txt"), foundation("titles.txt")], "tokenizer", "tokenizer").then(() => {}),
});
const lmCommon = ["--tokenizer", tokenizer, "--seed", `${cfg.seed}`, "--max-len", `${cfg.maxLen}`, "--dropout", `${cfg.foundation.dropout}`];
await pyTrain({
  name: "foundation",
  inputs: [...code("train_lm.py"), tokenizer, foundation("synthetic", "titles", "train.jsonl"), foundation("onet.txt")],
  params: { f: cfg.foundation, maxLen: cfg.maxLen, seed: cfg.seed },
  outputs: [foundation("foundation.pt")],
  script: "train_lm.py",
  args: [...lmCommon, ...shapeArgs(cfg.foundation.shape), "--train", foundation("synthetic", "titles", "train.jsonl"),
    foundation("onet.txt"), "--valid", foundation("synthetic", "titles", "validation.jsonl"), "--out", foundation("foundation.pt"),
    "--epochs", `${cfg.foundation.epochs}`, "--lr", `${cfg.foundation.lr}`],
  label: "pretrain foundation",
  log: "foundation",
});

// ---- large models: fine-tuned (shipped), panel only and codes (the paper's comparisons) ----
const corpus = (rendering: string, file: string) => at("corpus", rendering, file);
const panelTrain = (name: string, rendering: string, init: boolean) =>
  pyTrain({
    name: `${opts.dataset}-${name}`,
    inputs: [...code("train_lm.py"), tokenizer, corpus(rendering, "train.jsonl"), corpus(rendering, "validation.jsonl"), corpus(rendering, "labels.json"), ...(init ? [foundation("foundation.pt")] : [])],
    params: { p: cfg.panel, shape: cfg.foundation.shape, dropout: cfg.foundation.dropout, maxLen: cfg.maxLen, seed: cfg.seed },
    outputs: [at(`${name}.pt`)],
    script: "train_lm.py",
    args: [...lmCommon, ...(init ? ["--init", foundation("foundation.pt")] : shapeArgs(cfg.foundation.shape)),
      "--train", corpus(rendering, "train.jsonl"), "--valid", corpus(rendering, "validation.jsonl"), "--out", at(`${name}.pt`),
      "--epochs", `${cfg.panel.epochs}`, "--lr", `${init ? cfg.panel.lr : cfg.panel.scratchLr}`, "--batch-tokens", `${cfg.panel.batchTokens}`,
      // Checkpoints chosen on the label NLL the evaluation reports, on the first validation resumes.
      "--label-valid", corpus(rendering, "labels.json"), "--label-valid-resumes", `${cfg.panel.labelValidResumes}`, "--patience", `${cfg.panel.patience}`],
    label: name,
    log: `${opts.dataset}-${name}`,
  });
await panelTrain("large", "titles", true);
const variants = !args["skip-variants"];
if (variants) {
  await panelTrain("large-scratch", "titles", false);
  await panelTrain("large-codes", "codes", true);
}

/** A scoring stage: `model`'s distributions at the year lines of `split` (the first `maxExamples`, if given). */
const scoreStage = (model: string, rendering: string, split: string, out: string, allLines: boolean, maxExamples?: number): PythonStage => ({
  name: `${opts.dataset}-${out}`,
  inputs: [...code("score.py"), tokenizer, at(`${model}.pt`), corpus(rendering, `${split}.jsonl`)],
  params: maxExamples === undefined ? { allLines } : { allLines, maxExamples },
  outputs: [at(out)],
  script: "score.py",
  args: ["--model", at(`${model}.pt`), "--tokenizer", tokenizer, "--labels", corpus(rendering, "labels.json"),
    "--records", corpus(rendering, `${split}.jsonl`), "--out", at(out), ...(allLines ? ["--all-lines"] : []),
    ...(maxExamples === undefined ? [] : ["--max-examples", `${maxExamples}`])],
  label: `score ${model} ${split}`,
  log: `${opts.dataset}-${out}`,
  scoring: true,
});
const score = (...a: Parameters<typeof scoreStage>) => pyTrain(scoreStage(...a));
// The shipped large model's test distributions: score.py's in the GPU plan (seconds there), so that a GPU run
// leaves this machine only the baselines and the small model to score; without them, its ONNX file through
// onnxruntime-node (faster than PyTorch on a CPU: an hour for nlsy79 on two cores; cached, lm-scorers.ts).
// The ONNX parity tests hold the file to the PyTorch model.
const largeTestScores = scoreStage("large", "titles", "test", "scores-large-test.jsonl", false);
// Its validation distributions likewise, for its calibration (below).
const largeValidationScores = scoreStage("large", "titles", "validation", "scores-large-validation.jsonl", false, cfg.largeCalibration.questions);
if (args["prepare-only"]) for (const stage of [largeTestScores, largeValidationScores]) await pyTrain(stage);
// The variants are evaluated from their scores.
if (variants) {
  await score("large-scratch", "titles", "test", "scores-large-scratch-test.jsonl", false);
  await score("large-codes", "codes", "test", "scores-large-codes-test.jsonl", false);
}

// ---- small edge model: the career model, distilled from the large model, calibrated ----
// Teacher distributions once, for distillation (every year line of the training people). The small model is
// keyed on the teacher's stage marker (what the teacher was computed from), not on the teacher's bytes, so
// that a build whose teacher file stayed behind on a GPU machine (too big to bring back) still finds the small
// model trained there current, and does not score the teacher again (hours on a CPU) when nothing needs it.
const distill = !args["no-distill"];
const teacher = scoreStage("large", "titles", "train", "teacher-train.jsonl", true);
const career = (file: string) => at("corpus", "career", file);
const smallStage: PythonStage = {
  name: `${opts.dataset}-small`,
  inputs: [...code("train_career.py"), career("vocab.json"), career("train.jsonl"), career("validation.jsonl"), ...(distill ? [stages.markerOf(teacher)] : [])],
  params: { s: cfg.small, seed: cfg.seed, distill },
  outputs: [at("small.pt")],
  script: "train_career.py",
  args: ["--train", career("train.jsonl"), "--valid", career("validation.jsonl"), "--vocab", career("vocab.json"),
    ...(distill ? ["--teacher-train", at("teacher-train.jsonl")] : []), "--out", at("small.pt"), ...shapeArgs(cfg.small.shape),
    "--dropout", `${cfg.small.dropout}`, "--max-steps", `${cfg.small.maxSteps}`, "--epochs", `${cfg.small.epochs}`, "--patience", `${cfg.small.patience}`,
    "--lr", `${cfg.small.lr}`, "--batch", `${cfg.small.batch}`, "--alpha", `${cfg.small.alpha}`, "--temperature", `${cfg.small.temperature}`, "--seed", `${cfg.seed}`],
  label: "small career model",
  log: `${opts.dataset}-small`,
};
if (distill && (args["prepare-only"] || !stages.isKeyCurrent(teacher) || !stages.isCurrent(smallStage))) await pyTrain(teacher);
else if (distill) log(`${teacher.name}: not needed (the small model distilled from it is current)`);
await pyTrain(smallStage);
// Calibration on the validation people: seconds, so it always runs here (after a GPU plan, and with
// --export-only, where the small model is kept as it was trained).
if (!args["prepare-only"])
  await stages.run({
    name: `${opts.dataset}-calibrate-small`,
    inputs: [...code("calibrate_career.py"), at("small.pt"), career("validation.jsonl")],
    params: { maxSteps: cfg.small.maxSteps, ...cfg.smallCalibration },
    outputs: [at("small-calibrated.pt")],
    run: () =>
      py("calibrate_career.py", ["--ckpt", at("small.pt"), "--valid", career("validation.jsonl"), "--out", at("small-calibrated.pt"),
        "--max-steps", `${cfg.small.maxSteps}`, "--stay-knots", `${cfg.smallCalibration.stayKnots}`, ...deviceArgs], "calibrate small model", `${opts.dataset}-calibrate-small`).then(() => {}),
  });
if (args["prepare-only"]) {
  const plan = path.join(buildRoot, "gpu-plan.sh");
  writeFileSync(plan, gpuPlan(planned));
  chmodSync(plan, 0o755);
  log(`wrote ${plan}: ${planned.length} training and scoring stages (run them with scripts/gpu/train.sh ${buildRoot} OUT_DIR)`);
  process.exit(0);
}

const EXPORT_WEIGHTS = { small: "int8", large: "fp32" } as const;
// ---- ONNX export (opset 17) with PyTorch reference outputs for the parity tests ----
// The small model's weights are stored as int8 with a float32 scale per row (a quarter of the bytes the Worker
// bundles, same speed: quantize.py); the large model stays float32 (the origin does not care about its size).
for (const which of ["small", "large"] as const) {
  // The small model is the career model (its records), calibrated; the large one reads the titles corpus.
  const ckpt = at(which === "small" ? "small-calibrated.pt" : "large.pt");
  const files = which === "small" ? [career("test.jsonl")] : [tokenizer, corpus("titles", "test.jsonl"), corpus("titles", "labels.json")];
  const inputs = which === "small"
    ? ["career", "--records", career("test.jsonl")]
    : ["large", "--tokenizer", tokenizer, "--records", corpus("titles", "test.jsonl"), "--labels", corpus("titles", "labels.json")];
  await stages.run({
    name: `${opts.dataset}-export-${which}`,
    inputs: [...code("export_onnx.py"), ckpt, ...files],
    params: { version: 4, weights: EXPORT_WEIGHTS[which] },
    outputs: [at(`${which}.onnx`), at(`${which}-reference.json`)],
    run: async () => {
      await py("export_onnx.py", [...inputs, "--ckpt", ckpt, "--out", at(`${which}.onnx`), "--reference", at(`${which}-reference.json`),
        "--weights", EXPORT_WEIGHTS[which], ...deviceArgs], `export ${which}`, `${opts.dataset}-export-${which}`);
    },
  });
}

// ---- the large model's calibration on the validation people (as the small model's, on its distributions) ----
const lmFiles = { tokenizer, small: at("small.onnx"), large: at("large.onnx"), maxTokens: cfg.maxLen, source: panel.source, smallMaxSteps: cfg.small.maxSteps };
const scoreCache = path.join(buildRoot, "score-cache");
let questions: ReturnType<typeof prepare> | undefined;
/** A scoring stage's output where it is current (a GPU run's), else the ONNX file's distributions (cached). */
const largeScoresOf = async (stage: PythonStage, split: "validation" | "test"): Promise<string> => {
  if (stages.isCurrent(stage)) {
    log(`${stage.name}: up to date (the large model's ${split} distributions are read from it)`);
    return stage.outputs[0]!;
  }
  questions ??= prepare(dataset);
  const examples = split === "validation" ? questions.examples.validation.slice(0, cfg.largeCalibration.questions) : questions.examples.test;
  log(`${opts.dataset}: the large model's distributions of ${examples.length} ${split} questions through its ONNX file (cached in ${scoreCache})`);
  return largeModelScores(lmFiles, questions.labels, examples, scoreCache);
};
const validationScores = await largeScoresOf(largeValidationScores, "validation");
await stages.run({
  name: `${opts.dataset}-calibrate-large`,
  inputs: [...code("calibrate_large.py"), validationScores, corpus("titles", "validation.jsonl")],
  params: cfg.largeCalibration,
  outputs: [at("large-calibration.json")],
  run: () =>
    py("calibrate_large.py", ["--scores", validationScores, "--records", corpus("titles", "validation.jsonl"), "--max-examples", `${cfg.largeCalibration.questions}`,
      "--stay-knots", `${cfg.largeCalibration.stayKnots}`, "--out", at("large-calibration.json")],
      "calibrate large model", `${opts.dataset}-calibrate-large`).then(() => {}),
});
const largeCalibration = JSON.parse(readFileSync(at("large-calibration.json"), "utf8")) as StayMoveCalibration;

// ---- evaluation: every model on the same test person-years ----
const small = JSON.parse(readLastJsonLine(path.join(buildRoot, `${opts.dataset}-small.log`)));
const { temperature, ...stayMove } = JSON.parse(readLastJsonLine(path.join(buildRoot, `${opts.dataset}-calibrate-small.log`))).calibration;
const largeTest = await largeScoresOf(largeTestScores, "test");
const evaluation = await evaluate(dataset, log, (prepared, edgeBaseline) => [
  pythonScoresScorer("large", largeTest, edgeBaseline, largeCalibration),
  // The small model is also scored on the validation people: the edge serves it only where it beats the best
  // baseline there (below).
  { ...smallModelScorer(lmFiles, prepared.labels, edgeBaseline), validation: true },
  ...(variants
    ? [
        pythonScoresScorer("large (panel only)", at("scores-large-scratch-test.jsonl"), edgeBaseline),
        pythonScoresScorer("large (codes)", at("scores-large-codes-test.jsonl"), edgeBaseline),
      ]
    : []),
]);

// ---- the artifact ----
const best = evaluation.bestBaseline;
const edgeChoice = chooseEdgeEngine(evaluation);
const labelsFile: LabelsFile = { taxonomy: labels.taxonomy, labels: [...labels.labels] };
writeFileSync(path.join(outDir, "labels.json"), JSON.stringify(labelsFile) + "\n");
writeFileSync(path.join(outDir, "predictor.json"), JSON.stringify(evaluation.baselines[best]) + "\n");
for (const f of ["small.onnx", "large.onnx", "small-reference.json", "large-reference.json"]) copyFileSync(at(f), path.join(outDir, f));
copyFileSync(tokenizer, path.join(outDir, "tokenizer.json"));

const largeSummary = JSON.parse(readLastJsonLine(path.join(buildRoot, `${opts.dataset}-large.log`)));
const calendar = interviewYears(panel);
const manifest: ModelManifest = {
  format_version: ARTIFACT_FORMAT_VERSION,
  name: opts.dataset,
  description: `LABOR-LLM resume models and baselines trained on ${panel.source} (${panel.careers.length} people); build "${cfg.name}", fine-tuned ${largeSummary.epochs_run} epochs of at most ${cfg.panel.epochs}, the best on the label NLL kept (epoch ${largeSummary.best_epoch})`,
  taxonomy: panel.taxonomy,
  kind: `baseline:${best}`,
  source: panel.source,
  step_years: medianStep(panel.careers.flatMap((c) => c.history.slice(1).map((h, i) => h.year - c.history[i]!.year))),
  ...(calendar ? { interview_years: calendar } : {}),
  files: {},
  data: {
    dataset: panel.source,
    fingerprint: await panelFingerprint(panel),
    people: panel.careers.length,
    person_years: panel.report.personYears,
  },
  metrics: Object.fromEntries(evaluation.results.map((r) => [r.model, roundMetrics(r)])),
  language_models: {
    tokenizer: "tokenizer.json",
    small: {
      file: "small.onnx", input: "career", max_tokens: cfg.small.maxSteps, seen: careerSeen(panel, labels), parameters: small.params,
      temperature, stay_move: stayMove, ...edgeChoice, ...trainingOf(small),
    },
    large: {
      file: "large.onnx", max_tokens: cfg.maxLen, parameters: largeSummary.params as number, rendering: "titles", calibration: largeCalibration,
      ...trainingOf(largeSummary),
    },
  },
};
for (const name of ["labels.json", "predictor.json", "tokenizer.json", "small.onnx", "large.onnx", "small-reference.json", "large-reference.json"]) {
  const bytes = readFileSync(path.join(outDir, name));
  manifest.files[name] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
}
writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
log(describeEdgeEngine(manifest.language_models!.small));
if (!args.out) writeEdgeModels(); // the Worker's import lists now include model/NAME (deploy it: npm run deploy -- --models NAME)
console.log(markdownTable(evaluation.results));
console.log(`\nwrote ${outDir} (edge baseline ${best}; small ${small.params} parameters, calibration ${JSON.stringify({ temperature, ...stayMove })})`);

function writeCorpus(p: Panel, target: string): void {
  const split = splitCareers(p.source, p.careers);
  for (const rendering of ["titles", "codes"] as const) {
    const d = path.join(target, rendering);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, "labels.json"), JSON.stringify(corpusLabels(p, rendering), null, 1) + "\n");
    for (const [name, careers] of Object.entries(split)) {
      writeIfChanged(path.join(d, `${name}.txt`), corpusText(p, careers, rendering));
      writeIfChanged(path.join(d, `${name}.jsonl`), corpusRecords(p, careers, rendering));
    }
  }
  const career = path.join(target, "career");
  mkdirSync(career, { recursive: true });
  writeIfChanged(path.join(career, "vocab.json"), careerVocab(p));
  for (const [name, careers] of Object.entries(split)) writeIfChanged(path.join(career, `${name}.jsonl`), careerRecords(p, careers));
}

/** Rewriting identical bytes is harmless for stage keys (they hash content), but keeps mtimes honest. */
function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, "utf8") === text) return;
  } catch {}
  writeFileSync(file, text);
}

/** Where and how long a model trained, from its stage's JSON summary (absent in a log written before the
 * scripts recorded it). */
function trainingOf(summary: Record<string, unknown>): { training?: TrainingRecord } {
  const { device, seconds, tokens, steps } = summary;
  if (typeof device !== "string" || typeof seconds !== "number" || typeof tokens !== "number" || typeof steps !== "number") return {};
  return { training: { device, seconds, tokens, steps } };
}

/** BUILD_DIR/gpu-plan.sh: the training and scoring stages, each through scripts/gpu/run_stage.py (which keys,
 * skips, logs and marks it as StageRunner does), with paths relative to the build directory ($B) and the
 * repository ($R), so that the folder can be copied to another machine. */
function gpuPlan(stagesToRun: PythonStage[]): string {
  const repo = repoPath();
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const p = (file: string) => {
    const inside = (root: string) => !path.relative(root, file).startsWith("..") && !path.isAbsolute(path.relative(root, file));
    if (!path.isAbsolute(file)) return q(file);
    if (inside(buildRoot)) return `"$B"/${q(path.relative(buildRoot, file))}`;
    if (inside(repo)) return `"$R"/${q(path.relative(repo, file))}`;
    return q(file);
  };
  const arg = (a: string) => (path.isAbsolute(a) ? p(a) : q(a));
  const lines = [
    "#!/usr/bin/env bash",
    `# Written by npm run build:model -- --prepare-only (dataset ${opts.dataset}, build "${cfg.name}"). The training and`,
    "# scoring stages that remain, in order; run by scripts/gpu/train.sh (see docs/models.md, \"Training on a GPU\").",
    "# B: this build directory (default: the plan's folder); R: the repository; DEVICE: auto, cpu or cuda; PYTHON.",
    "set -euo pipefail",
    'B="${B:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"',
    'R="${R:?set R to the repository root}"',
    'PY="${PYTHON:-python3}"',
    'DEVICE="${DEVICE:-auto}"',
    "",
  ];
  for (const s of stagesToRun) {
    lines.push(
      [`"$PY" "$R"/scripts/gpu/run_stage.py "$B" ${q(s.name)} ${q(s.log)} ${q(JSON.stringify(s.params))}`,
        `--inputs ${s.inputs.map(p).join(" ")}`,
        `--outputs ${s.outputs.map(p).join(" ")}`,
        `-- "$PY" "$R"/scripts/lm/${s.script} ${s.args.map(arg).join(" ")} --device "$DEVICE"`].join(" \\\n  "),
    );
  }
  return lines.join("\n") + "\n";
}

function readLastJsonLine(file: string): string {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  return lines.reverse().find((l) => l.startsWith("{"))!;
}

function medianStep(steps: number[]): number {
  if (steps.length === 0) return 1;
  const sorted = steps.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function roundMetrics({ perplexity, top1, top5, ece, auc_change, n, outside_mass, context_fallbacks }: ModelResult): Record<string, number> {
  const r = (x: number) => Number(x.toPrecision(5));
  const metrics: Record<string, number> = { perplexity: r(perplexity), top1: r(top1), top5: r(top5), ece: r(ece), auc_change: r(auc_change), n };
  if (outside_mass !== undefined) metrics.outside_mass = r(outside_mass);
  if (context_fallbacks !== undefined) metrics.context_fallbacks = context_fallbacks;
  return metrics;
}

