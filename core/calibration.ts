// The stay/move calibration of a label distribution, fitted on the validation people after training
// (scripts/lm/career_model.py Calibration, calibrated_log_probs): a temperature over every label, then
// P(stay), the probability of the last observed state, recalibrated by a map of its log-odds (Platt scaling,
// or piecewise linear and monotone where knots are given), and the moves tempered, keeping their share
// 1 - P(stay). The edge model has it baked into its ONNX file; the large model's answer gets it here (the
// origin, and the evaluation of its cached scores).
import type { PredictionContext } from "./predictors/types.ts";
import type { LabelSet } from "./taxonomy.ts";

export interface StayMoveCalibration {
  temperature: number;
  /** The slope of the log-odds map (below the first knot, where there are knots). */
  stay_scale: number;
  stay_shift: number;
  move_temperature: number;
  /** Where the map's slope changes, ascending, and its slope from each on (absent: Platt scaling). */
  stay_knots?: number[];
  stay_slopes?: number[];
}

/** The calibrated log-odds of staying, from the model's (career_model.py stay_log_odds). */
function stayLogOdds(x: number, c: StayMoveCalibration): number {
  let y = c.stay_shift + c.stay_scale * x;
  let slope = c.stay_scale;
  (c.stay_knots ?? []).forEach((knot, k) => {
    const after = c.stay_slopes![k]!;
    y += (after - slope) * Math.max(0, x - knot);
    slope = after;
  });
  return y;
}

/** The smallest probability read as a log (a score file's six digits may round a tiny one to 0). */
const FLOOR = 1e-30;

const logSigmoid = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));

/** log-softmax of `logits / t` over the indices where `keep` holds (the others get -Infinity). */
function logSoftmax(logits: Float64Array, t: number, keep: (i: number) => boolean): Float64Array {
  const out = new Float64Array(logits.length).fill(-Infinity);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (keep(i)) max = Math.max(max, logits[i]! / t);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) if (keep(i)) sum += Math.exp(logits[i]! / t - max);
  const norm = max + Math.log(sum);
  for (let i = 0; i < logits.length; i++) if (keep(i)) out[i] = logits[i]! / t - norm;
  return out;
}

/** The calibrated distribution of `probs` (a distribution over the labels) whose last state is label `stay`. */
export function calibrateStayMove(probs: ArrayLike<number>, stay: number, c: StayMoveCalibration): Float64Array {
  const logits = Float64Array.from(probs, (p) => Math.log(Math.max(p, FLOOR)));
  const tempered = logSoftmax(logits, c.temperature, () => true);
  const logStay = tempered[stay]!;
  const logMove = Math.log1p(-Math.min(Math.exp(logStay), 1 - 1e-6));
  const odds = stayLogOdds(logStay - logMove, c);
  const moves = logSoftmax(tempered, c.move_temperature, (i) => i !== stay);
  const moveShare = logSigmoid(-odds);
  const out = moves.map((m) => Math.exp(m + moveShare));
  out[stay] = Math.exp(logSigmoid(odds));
  return out;
}

/** The label index of a question's last observed state: what "stay" means for it. */
export function stayLabel(ctx: PredictionContext, labels: LabelSet): number {
  return labels.index(ctx.history[ctx.history.length - 1]!.occupation);
}
