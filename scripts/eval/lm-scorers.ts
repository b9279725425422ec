// The language models as evaluation scorers: the shipped ONNX files run by onnxruntime-node through the same
// core/ classes the edge and the origin use, and score files written by scripts/lm/score.py (the variants
// that are compared but not shipped).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { LargeModel } from "../../core/large-model.ts";
import type { Predictor } from "../../core/predictors/index.ts";
import { ContextTooLongError } from "../../core/predictors/types.ts";
import { CareerInput, SmallModel, TokenInput } from "../../core/small-model.ts";
import { nodeRuntime } from "../lib/ort-node.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import type { Scorer } from "./evaluate.ts";
import type { Example } from "./examples.ts";

/** The language model files of a model folder, from its manifest. */
export function languageModelFiles(dir: string, manifest: ModelManifest): LanguageModelFiles {
  const lm = manifest.language_models!;
  return {
    tokenizer: path.join(dir, lm.tokenizer), small: path.join(dir, lm.small.file), large: path.join(dir, lm.large.file), maxTokens: lm.large.max_tokens,
    source: manifest.source, smallInput: lm.small.input ?? "tokens", smallMaxSteps: lm.small.max_tokens,
  };
}

export interface LanguageModelFiles {
  tokenizer: string;
  small: string;
  large: string;
  maxTokens: number;
  source: string;
  /** The small model's input form, and the most steps it reads (years for the career input, tokens else). */
  smallInput: "career" | "tokens";
  smallMaxSteps: number;
}


/**
 * The large and the small model as the origin and the edge serve them: a history longer than a model's
 * context is answered by `fallback` (the edge's baseline), and the share of such answers is reported.
 */
export function languageModelScorers(files: LanguageModelFiles, labels: LabelSet, fallback: Predictor): Scorer[] {
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(files.tokenizer, "utf8")));
  let outside = 0, answered = 0, largeFallbacks = 0, smallFallbacks = 0;
  const orFallback = async (e: Example, predict: () => Promise<Float64Array>, counted: () => void): Promise<Float64Array> => {
    try {
      return await predict();
    } catch (error) {
      if (!(error instanceof ContextTooLongError)) throw error;
      counted();
      return fallback.predict(e.ctx);
    }
  };
  return [
    {
      name: "large",
      scoreAll: async (examples) => {
        const model = new LargeModel(await nodeRuntime(files.large), tokenizer, labels, files.source, files.maxTokens);
        const out = [];
        [outside, answered, largeFallbacks] = [0, 0, 0];
        for (const e of examples) {
          out.push(
            await orFallback(
              e,
              async () => {
                const answer = await model.predict(e.ctx);
                outside += answer.outsideMass;
                answered++;
                return answer.probs;
              },
              () => largeFallbacks++,
            ),
          );
        }
        return out;
      },
      extraMetrics: () => ({ outside_mass: outside / answered, ...(largeFallbacks ? { context_fallbacks: largeFallbacks } : {}) }),
    },
    {
      name: "small (edge)",
      scoreAll: async (examples) => {
        const input = files.smallInput === "career" ? new CareerInput(labels, files.smallMaxSteps) : new TokenInput(tokenizer, labels, files.source, files.smallMaxSteps);
        const model = new SmallModel(await nodeRuntime(files.small), labels, input);
        const out = [];
        smallFallbacks = 0;
        for (const e of examples) out.push(await orFallback(e, () => model.predict(e.ctx), () => smallFallbacks++));
        return out;
      },
      extraMetrics: (): Record<string, number> => (smallFallbacks ? { context_fallbacks: smallFallbacks } : {}),
    },
  ];
}

/** Distributions written by score.py, one JSON line per test example in examples order; a line past the
 *  model's context (null) is answered by `fallback`, as the served models do. */
export function pythonScoresScorer(name: string, file: string, fallback: Predictor): Scorer {
  type Row = { probs: number[] | null; outside_mass: number | null };
  const rows = (): Row[] => readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Row);
  return {
    name,
    scoreAll: (examples) => {
      const r = rows();
      if (r.length !== examples.length) throw new Error(`${file}: ${r.length} scores for ${examples.length} examples`);
      return r.map((row, i) => (row.probs ? Float64Array.from(row.probs) : fallback.predict(examples[i]!.ctx)));
    },
    extraMetrics: () => {
      const scored = rows().filter((x) => x.probs !== null);
      const fallbacks = rows().length - scored.length;
      return { outside_mass: scored.reduce((s, x) => s + x.outside_mass!, 0) / scored.length, ...(fallbacks ? { context_fallbacks: fallbacks } : {}) };
    },
  };
}
