// Multinomial logit fitted by mini-batch Adam (learning rate decaying linearly to zero) on the mean
// cross-entropy plus an L2 penalty, keeping the epoch with the best validation loss. Deterministic:
// examples are visited in a seeded order.
import { LogitFeatures, type SparseFeatures } from "../../core/predictors/logit-features.ts";
import type { LogitParams } from "../../core/predictors/logit.ts";
import type { LabelSet } from "../../core/taxonomy.ts";
import type { Example } from "../eval/examples.ts";

export interface LogitOptions {
  /** Passes over the data; by default enough for at least MIN_STEPS updates (small panels need more). */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Stop after this many epochs without a better validation loss. */
  patience?: number;
  onEpoch?: (epoch: number, validationNll: number) => void;
}

interface Encoded {
  x: SparseFeatures[];
  y: Int32Array;
}

const MIN_STEPS = 4000;

function encode(examples: readonly Example[], features: LogitFeatures): Encoded {
  return { x: examples.map((e) => features.of(e.ctx)), y: Int32Array.from(examples, (e) => e.target) };
}

/** Writes softmax(W^T x) into `out`; returns log p(target). */
function forward(w: Float64Array, k: number, x: SparseFeatures, target: number, out: Float64Array): number {
  out.fill(0);
  for (let j = 0; j < x.index.length; j++) {
    const row = x.index[j]! * k, v = x.value[j]!;
    for (let i = 0; i < k; i++) out[i]! += v * w[row + i]!;
  }
  let max = -Infinity;
  for (let i = 0; i < k; i++) if (out[i]! > max) max = out[i]!;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += out[i] = Math.exp(out[i]! - max);
  for (let i = 0; i < k; i++) out[i]! /= sum;
  return Math.log(out[target]!);
}

function meanNll(w: Float64Array, k: number, data: Encoded): number {
  const p = new Float64Array(k);
  let nll = 0;
  for (let n = 0; n < data.x.length; n++) nll -= forward(w, k, data.x[n]!, data.y[n]!, p);
  return nll / data.x.length;
}

function shuffled(n: number, seed: number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // LCG: enough to decorrelate batches
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Starting weights that make the logit the smoothed first-order Markov chain: bias = log frequency of each
 * next state, previous-state weights = log P(next | previous) - log frequency. The other features then only
 * have to learn corrections, which plain gradient descent from zero reaches far too slowly on 300+ labels.
 */
function markovStart(train: readonly Example[], features: LogitFeatures, k: number): Float64Array {
  const w = new Float64Array(features.size * k);
  const freq = new Float64Array(k).fill(0.5);
  const pair = new Float64Array(k * k);
  for (const e of train) freq[e.target]!++, pair[e.previous * k + e.target]!++;
  const total = freq.reduce((a, b) => a + b, 0);
  const logFreq = Array.from(freq, (c) => Math.log(c / total));
  const bias = features.offset("bias") * k, previous = features.offset("previous") * k;
  for (let j = 0; j < k; j++) w[bias + j] = logFreq[j]!;
  for (let i = 0; i < k; i++) {
    let rowTotal = 0;
    for (let j = 0; j < k; j++) rowTotal += pair[i * k + j]!;
    for (let j = 0; j < k; j++) {
      const p = (pair[i * k + j]! + Math.exp(logFreq[j]!)) / (rowTotal + 1); // Dirichlet(1 x frequency)
      w[previous + i * k + j] = Math.log(p) - logFreq[j]!;
    }
  }
  return w;
}

export function trainLogit(train: readonly Example[], validation: readonly Example[], labels: LabelSet, opts: LogitOptions = {}): LogitParams {
  const { batchSize = 256, learningRate = 0.003, l2 = 1e-5, seed = 1, patience = 2 } = opts;
  const epochs = opts.epochs ?? Math.min(200, Math.max(12, Math.ceil((MIN_STEPS * batchSize) / Math.max(1, train.length))));
  const features = new LogitFeatures(labels);
  const k = labels.size, size = features.size * k;
  const trainData = encode(train, features), validData = encode(validation, features);
  const w = markovStart(train, features, k), m = new Float64Array(size), v = new Float64Array(size), grad = new Float64Array(size);
  const touched = new Uint8Array(features.size);
  const p = new Float64Array(k);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let step = 0, best = { nll: meanNll(w, k, validData), w: w.slice() }, sinceBest = 0;
  opts.onEpoch?.(0, best.nll);

  for (let epoch = 1; epoch <= epochs && sinceBest < patience; epoch++) {
    const order = shuffled(trainData.x.length, seed + epoch);
    for (let start = 0; start < order.length; start += batchSize) {
      const end = Math.min(order.length, start + batchSize), scale = 1 / (end - start);
      for (let b = start; b < end; b++) {
        const n = order[b]!, x = trainData.x[n]!;
        forward(w, k, x, trainData.y[n]!, p);
        p[trainData.y[n]!]! -= 1; // d(-log p_y)/d scores
        for (let j = 0; j < x.index.length; j++) {
          const f = x.index[j]!, row = f * k, val = x.value[j]! * scale;
          touched[f] = 1;
          for (let i = 0; i < k; i++) grad[row + i]! += val * p[i]!;
        }
      }
      // Lazy Adam: only rows of features seen in this batch move (plus their L2 pull).
      step++;
      // Linear decay to zero over the planned epochs: late steps average out mini-batch noise.
      const decay = 1 - (epoch - 1 + start / order.length) / epochs;
      const lr = (learningRate * decay * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
      for (let f = 0; f < features.size; f++) {
        if (!touched[f]) continue;
        touched[f] = 0;
        for (let i = f * k, e = i + k; i < e; i++) {
          const g = grad[i]! + l2 * w[i]!;
          m[i] = b1 * m[i]! + (1 - b1) * g;
          v[i] = b2 * v[i]! + (1 - b2) * g * g;
          w[i]! -= (lr * m[i]!) / (Math.sqrt(v[i]!) + eps);
          grad[i] = 0;
        }
      }
    }
    const nll = meanNll(w, k, validData);
    opts.onEpoch?.(epoch, nll);
    if (nll < best.nll - 1e-5) (best = { nll, w: w.slice() }), (sinceBest = 0);
    else sinceBest++;
  }
  // Rounded to 0.001 (at most 0.0005 on a logit of a few active features): the edge bundles this file, and
  // three decimals gzip to half of six significant digits (nlsy79: 0.17 MB against 0.34 MB), the loss unchanged.
  return { kind: "logit", weights: Array.from(best.w, (x) => Number(x.toFixed(3))) };
}
