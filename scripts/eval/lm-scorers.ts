// The language models as evaluation scorers: the ONNX files run by onnxruntime-node through the same core/
// classes the edge and the origin use, and score files (written by scripts/lm/score.py for the variants and a
// GPU run's large model; the same format is the large model's cache here).
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calibrateStayMove, type StayMoveCalibration } from "../../core/calibration.ts";
import { sha256Hex } from "../../core/digest.ts";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { LargeModel } from "../../core/large-model.ts";
import type { Predictor } from "../../core/predictors/index.ts";
import { ContextTooLongError } from "../../core/predictors/types.ts";
import { CareerInput, SmallModel } from "../../core/small-model.ts";
import { nodeRuntime } from "../lib/ort-node.ts";
import { repoPath } from "../lib/paths.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { SMALL_MODEL } from "./edge-engine.ts";
import type { Scorer } from "./evaluate.ts";
import type { Example } from "./examples.ts";

/** The language model files of a model folder, from its manifest. */
export function languageModelFiles(dir: string, manifest: ModelManifest): LanguageModelFiles {
  const lm = manifest.language_models!;
  if (lm.small.input !== "career")
    throw new Error(`${dir}: its small model reads resume tokens, an input nothing runs any more (the edge answers with its baseline): rebuild it with npm run build:model`);
  return {
    tokenizer: path.join(dir, lm.tokenizer), small: path.join(dir, lm.small.file), large: path.join(dir, lm.large.file), maxTokens: lm.large.max_tokens,
    source: manifest.source, smallMaxSteps: lm.small.max_tokens, ...(lm.large.calibration ? { largeCalibration: lm.large.calibration } : {}),
  };
}

export interface LanguageModelFiles {
  tokenizer: string;
  small: string;
  large: string;
  maxTokens: number;
  source: string;
  /** The most years the small model reads. */
  smallMaxSteps: number;
  /** The large model's answers are calibrated by it, as the origin serves them (absent: served raw). */
  largeCalibration?: StayMoveCalibration;
}


/**
 * The large and the small model as the origin and the edge serve them: a history longer than a model's
 * context is answered by `fallback` (the edge's baseline), and the share of such answers is reported.
 */
export function languageModelScorers(files: LanguageModelFiles, labels: LabelSet, fallback: Predictor): Scorer[] {
  return [largeModelScorer(files, labels, fallback), smallModelScorer(files, labels, fallback)];
}

/** The large model's ONNX file run by onnxruntime-node, its answers calibrated as the origin serves them. */
export function largeModelScorer(files: LanguageModelFiles, labels: LabelSet, fallback: Predictor, cacheDir = repoPath("build", "score-cache")): Scorer {
  let scores: Scorer | undefined;
  return {
    name: "large",
    scoreAll: async (examples) => {
      scores = pythonScoresScorer("large", await largeModelScores(files, labels, examples, cacheDir), fallback, files.largeCalibration);
      return scores.scoreAll(examples);
    },
    extraMetrics: () => scores!.extraMetrics!(),
  };
}

/**
 * The large model's raw distributions of `examples` (score.py's format), in a file of `cacheDir` (a build's
 * BUILD_DIR/score-cache/; build/score-cache/ for npm run eval): scoring every question against every label
 * is the evaluation's long pole (an hour for nlsy79's test people on two cores), so the file is keyed by the
 * model, its tokenizer, the labels and the questions, and a second evaluation of the same model reads it back.
 * Rows are appended to FILE.partial as they are scored, a batch at a time, so a run that is stopped (a
 * session's end) goes on from the last whole row.
 */
export async function largeModelScores(files: LanguageModelFiles, labels: LabelSet, examples: readonly Example[], cacheDir: string): Promise<string> {
  const cache = path.join(cacheDir, await largeScoresFile(files, labels, examples));
  if (existsSync(cache)) return cache;
  const partial = `${cache}.partial`;
  const done = scoredRows(partial);
  mkdirSync(path.dirname(cache), { recursive: true });
  writeFileSync(partial, done.map((line) => `${line}\n`).join("")); // drops a row cut off mid-write
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(files.tokenizer, "utf8")));
  const model = new LargeModel(await nodeRuntime(files.large), tokenizer, labels, files.source, files.maxTokens);
  let batch: string[] = [];
  for (const e of examples.slice(done.length)) {
    let row: ScoreRow;
    try {
      const answer = await model.predict(e.ctx);
      row = { probs: Array.from(answer.probs), outside_mass: answer.outsideMass };
    } catch (error) {
      if (!(error instanceof ContextTooLongError)) throw error;
      row = { probs: null, outside_mass: null };
    }
    batch.push(`${JSON.stringify(row)}\n`);
    if (batch.length === PARTIAL_BATCH) {
      appendFileSync(partial, batch.join(""));
      batch = [];
    }
  }
  appendFileSync(partial, batch.join(""));
  renameSync(partial, cache);
  return cache;
}

/** Rows written to the partial file between two appends: a few seconds of scoring. */
const PARTIAL_BATCH = 50;

/** The whole rows of a partial score file (none if there is none). */
function scoredRows(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  return text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter((line) => line !== "");
}

/** The small (edge) model's ONNX file run by onnxruntime-node, as the edge runs it. */
export function smallModelScorer(files: LanguageModelFiles, labels: LabelSet, fallback: Predictor): Scorer {
  let fallbacks = 0;
  return {
    name: SMALL_MODEL,
    scoreAll: async (examples) => {
      const model = new SmallModel(await nodeRuntime(files.small), labels, new CareerInput(labels, files.smallMaxSteps));
      const out = [];
      fallbacks = 0;
      for (const e of examples) {
        try {
          out.push(await model.predict(e.ctx));
        } catch (error) {
          if (!(error instanceof ContextTooLongError)) throw error;
          fallbacks++;
          out.push(fallback.predict(e.ctx));
        }
      }
      return out;
    },
    extraMetrics: (): Record<string, number> => (fallbacks ? { context_fallbacks: fallbacks } : {}),
  };
}

/** One question's distribution over the labels, or null where the history is past the model's context. */
interface ScoreRow {
  probs: number[] | null;
  outside_mass: number | null;
}

async function largeScoresFile(files: LanguageModelFiles, labels: LabelSet, examples: readonly Example[]): Promise<string> {
  const key = await sha256Hex(
    [
      await sha256Hex(readFileSync(files.large)),
      await sha256Hex(readFileSync(files.tokenizer)),
      JSON.stringify([files.source, files.maxTokens, labels.labels.map((l) => l.code)]),
      await sha256Hex(JSON.stringify(examples.map((e) => e.ctx))),
    ].join("\n"),
  );
  return `large-${key}.jsonl`;
}

/** Distributions written by score.py, one JSON line per test example in examples order, calibrated by
 *  `calibration` where given; a line past the model's context (null) is answered by `fallback`, as the served
 *  models do. */
export function pythonScoresScorer(name: string, file: string, fallback: Predictor, calibration?: StayMoveCalibration): Scorer {
  let read: ScoreRow[] | undefined; // parsed once: a large model's file is tens of MB
  const rows = (): ScoreRow[] => (read ??= readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ScoreRow));
  return {
    name,
    scoreAll: (examples) => {
      const r = rows();
      if (r.length !== examples.length) throw new Error(`${file}: ${r.length} scores for ${examples.length} examples`);
      return r.map((row, i) => {
        const e = examples[i]!;
        if (!row.probs) return fallback.predict(e.ctx);
        return calibration ? calibrateStayMove(row.probs, e.previous, calibration) : Float64Array.from(row.probs);
      });
    },
    extraMetrics: () => {
      const scored = rows().filter((x) => x.probs !== null);
      const fallbacks = rows().length - scored.length;
      return { outside_mass: scored.reduce((s, x) => s + x.outside_mass!, 0) / scored.length, ...(fallbacks ? { context_fallbacks: fallbacks } : {}) };
    },
  };
}
