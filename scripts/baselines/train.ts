// Fits every baseline on the training people, tuning on the validation people.
import type { BaselineParams } from "../../core/predictors/index.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import type { Example } from "../eval/examples.ts";
import { trainFrequency } from "./frequency.ts";
import { trainLogit } from "./logit.ts";
import { trainNgram } from "./ngram.ts";

export const BASELINE_NAMES = ["frequency", "markov", "ngram", "logit"] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export function trainBaselines(
  train: readonly Example[],
  validation: readonly Example[],
  labels: LabelSet,
  log: (message: string) => void = () => {},
): Record<BaselineName, BaselineParams> {
  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const frequency = trainFrequency(train, labels);
  const markov = trainNgram(train, validation, labels, [1]);
  log(`markov: alpha ${markov.alpha} (${elapsed()})`);
  const ngram = trainNgram(train, validation, labels, [2, 3, 4]);
  log(`ngram: order ${ngram.order}, alpha ${ngram.alpha} (${elapsed()})`);
  let epochs = 0, best = Infinity;
  const logit = trainLogit(train, validation, labels, { onEpoch: (epoch, nll) => ((epochs = epoch), (best = Math.min(best, nll))) });
  log(`logit: ${epochs} epochs, best validation NLL ${best.toFixed(4)} (${elapsed()})`);
  return { frequency, markov, ngram, logit };
}
