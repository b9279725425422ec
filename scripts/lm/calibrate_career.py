"""Calibrate a trained career edge model on the validation people (career_model.Calibration): a temperature
over every label (a grid), then the stay/move correction (P(stay)'s log-odds scaled and shifted, the moves
tempered) by L-BFGS on the validation NLL. Each step is kept only where it lowers that NLL.

  python3 scripts/lm/calibrate_career.py --ckpt small.pt --valid career/validation.jsonl --out small-calibrated.pt
      [--max-steps 64] [--device auto|cpu|cuda]

Writes the checkpoint with its "calibration" (what export_onnx.py bakes into small.onnx). Seconds on a CPU:
the model is run once over the validation people. The last stdout line is a JSON summary: the calibration,
the validation NLL before and after each step, device.py's fields.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from career_model import Calibration, CareerConfig, CareerModel, calibrated_log_probs  # noqa: E402
from device import Run, add_device_arg, load_checkpoint, pick_device, save_checkpoint  # noqa: E402
from train_career import collect_logits, read_careers  # noqa: E402


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T minimising validation NLL of softmax(logits / T), on a log grid from 0.05 to 20."""
    grid = torch.logspace(math.log10(0.05), math.log10(20), 241)
    nll = torch.stack([F.cross_entropy(logits / t, labels) for t in grid])
    return float(grid[int(torch.argmin(nll))])


def nll(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor, c: Calibration) -> float:
    return float(F.nll_loss(calibrated_log_probs(logits, states, c.temperature, c.stay_scale, c.stay_shift, c.move_temperature), labels))


def fit_stay_move(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor, temperature: float) -> Calibration:
    """stay_scale, stay_shift and move_temperature (as its log, kept positive) minimising the validation NLL."""
    scale, shift, log_mt = (torch.tensor(v, requires_grad=True) for v in (1.0, 0.0, 0.0))
    opt = torch.optim.LBFGS([scale, shift, log_mt], max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.nll_loss(calibrated_log_probs(logits, states, temperature, scale, shift, log_mt.exp()), labels)
        loss.backward()
        return loss

    opt.step(closure)
    return Calibration(temperature, float(scale), float(shift), float(log_mt.exp()))


def fit_calibration(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor) -> tuple[Calibration, dict[str, float]]:
    """Of raw, a temperature, and the temperature then stay/move, the calibration with the lowest validation
    NLL, and each one's NLL (so each step is kept only where it lowers it)."""
    steps = [("raw", Calibration())]
    steps.append(("temperature", Calibration(temperature=fit_temperature(logits, labels))))
    steps.append(("stay/move", fit_stay_move(logits, labels, states, steps[-1][1].temperature)))
    nlls = {name: nll(logits, labels, states, c) for name, c in steps}
    return min(steps, key=lambda s: nlls[s[0]])[1], nlls


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--valid", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-steps", type=int, default=64)
    add_device_arg(ap)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    device = pick_device(args.device)
    run = Run(device)
    ckpt = load_checkpoint(args.ckpt)
    model = CareerModel(CareerConfig(**ckpt["config"])).to(device)
    model.load_state_dict(ckpt["model"])
    logits, labels, states = collect_logits(model, read_careers(args.valid, args.max_steps), 512, device)

    best, nlls = fit_calibration(logits, labels, states)
    # The calibration replaces whatever the checkpoint carried (one written before kept a "temperature").
    out = {k: v for k, v in ckpt.items() if k != "temperature"}
    save_checkpoint({**out, "calibration": best.to_dict()}, args.out)
    print(json.dumps({
        "calibration": best.to_dict(), "valid_nll": {k: round(v, 5) for k, v in nlls.items()}, "valid_questions": int(labels.numel()),
        **run.summary(),
    }))


if __name__ == "__main__":
    main()
