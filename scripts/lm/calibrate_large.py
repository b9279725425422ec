"""Calibrate the large model's answers on the validation people, as calibrate_career.py does the edge model's:
a temperature over every label (a grid), then the stay/move correction (career_model.Calibration) by L-BFGS
on the validation NLL, each step kept only where it lowers it. The origin applies the result to every answer
(core/calibration.ts); the manifest records it (language_models.large.calibration).

  python3 scripts/lm/calibrate_large.py --scores scores.jsonl --records validation.jsonl --out calibration.json
      [--max-examples N] [--stay-knots N]

--scores: the large model's distributions over the labels at every year line after each resume's first, in
record order (score.py's format, or the ONNX scorer's cache: the same lines); with --max-examples N, the
first N of them at least (score.py --max-examples finishes the resume it stopped in); a line past the
context (null) is left out, as the baseline answers it. --records: the resume corpus they were scored on
(its labels give each question's last state and its answer). Seconds: no model runs. Writes the calibration as JSON; the last
stdout line is a JSON summary with the validation NLL before and after each step.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from calibrate_career import fit_calibration  # noqa: E402
from data import read_records  # noqa: E402

FLOOR = 1e-30  # the smallest probability read as a log (as core/calibration.ts)


def questions(scores: str, records: str, max_examples: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(log-probabilities [N, K], answers [N], last states [N]) of the scored year lines."""
    with open(scores, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    # (answer, last state) of every year line after a resume's first, in record order: the lines scored.
    lines = [(r["labels"][t], r["labels"][t - 1]) for r in read_records(records) for t in range(1, len(r["labels"]))]
    covered = min(max_examples, len(lines)) if max_examples else len(lines)
    if len(rows) < covered:
        raise SystemExit(f"{scores}: {len(rows)} lines, fewer than the {covered} year lines of {records} it should cover")
    if len(rows) > len(lines):
        raise SystemExit(f"{scores}: {len(rows)} lines for {len(lines)} year lines of {records}")
    scored = [(row["probs"], line) for row, line in zip(rows, lines) if row["probs"] is not None]
    if not scored:
        raise SystemExit(f"{scores}: no scored year line to calibrate on")
    logp = torch.tensor([p for p, _ in scored], dtype=torch.float64).clamp_min(FLOOR).log().float()
    return logp, torch.tensor([a for _, (a, _) in scored]), torch.tensor([s for _, (_, s) in scored])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scores", required=True)
    ap.add_argument("--records", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-examples", type=int, default=0, help="the scores cover the first N year lines at least (0: all)")
    ap.add_argument("--stay-knots", type=int, default=0, help="also try a piecewise-linear stay/move map with this many knots")
    args = ap.parse_args()
    logits, answers, last = questions(args.scores, args.records, args.max_examples)
    best, nlls = fit_calibration(logits, answers, last, args.stay_knots)
    tmp = f"{args.out}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(best.to_dict(), f)
    os.replace(tmp, args.out)
    print(json.dumps({"calibration": best.to_dict(), "valid_nll": {k: round(v, 5) for k, v in nlls.items()}, "valid_questions": int(answers.numel())}))


if __name__ == "__main__":
    main()
