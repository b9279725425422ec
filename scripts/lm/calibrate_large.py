"""Calibrate the large model's answers on the validation people, as calibrate_career.py does the edge model's:
a temperature over every label (a grid), then the stay/move correction (career_model.Calibration) by L-BFGS
on the validation NLL, each step kept only where it lowers it. The origin applies the result to every answer
(core/calibration.ts); the manifest records it (language_models.large.calibration).

  python3 scripts/lm/calibrate_large.py --scores scores.jsonl --records validation.jsonl --out calibration.json

--scores: the large model's distributions over the labels at every year line after each resume's first, in
record order (score.py's format, or the ONNX scorer's cache: the same lines); a line past the context (null)
is left out, as the baseline answers it. --records: the resume corpus they were scored on (its labels give
each question's last state and its answer). Seconds: no model runs. Writes the calibration as JSON; the last
stdout line is a JSON summary with the validation NLL before and after each step.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from calibrate_career import fit_stay_move, fit_temperature, nll  # noqa: E402
from career_model import Calibration  # noqa: E402
from data import read_records  # noqa: E402

FLOOR = 1e-30  # the smallest probability read as a log (as core/calibration.ts)


def questions(scores: str, records: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(log-probabilities [N, K], answers [N], last states [N]) of the scored year lines."""
    with open(scores, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    logp, answers, last = [], [], []
    i = 0
    for record in read_records(records):
        labels = record["labels"]
        for t in range(1, len(labels)):
            if i >= len(rows):
                raise SystemExit(f"{scores}: {len(rows)} lines, fewer than the year lines of {records}")
            probs = rows[i]["probs"]
            i += 1
            if probs is not None:
                logp.append(probs)
                answers.append(labels[t])
                last.append(labels[t - 1])
    if i != len(rows):
        raise SystemExit(f"{scores}: {len(rows)} lines for {i} year lines of {records}")
    if not logp:
        raise SystemExit(f"{scores}: no scored year line to calibrate on")
    return torch.tensor(logp, dtype=torch.float64).clamp_min(FLOOR).log().float(), torch.tensor(answers), torch.tensor(last)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scores", required=True)
    ap.add_argument("--records", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    logits, answers, last = questions(args.scores, args.records)
    steps = [("raw", Calibration())]
    steps.append(("temperature", Calibration(temperature=fit_temperature(logits, answers))))
    steps.append(("stay/move", fit_stay_move(logits, answers, last, steps[-1][1].temperature)))
    nlls = {name: nll(logits, answers, last, c) for name, c in steps}
    best = min(steps, key=lambda s: nlls[s[0]])[1]
    tmp = f"{args.out}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(best.to_dict(), f)
    os.replace(tmp, args.out)
    print(json.dumps({"calibration": best.to_dict(), "valid_nll": {k: round(v, 5) for k, v in nlls.items()}, "valid_questions": int(answers.numel())}))


if __name__ == "__main__":
    main()
