"""Calibrate a trained career edge model on the validation people (career_model.Calibration): a temperature
over every label (a grid), then the stay/move correction (P(stay)'s log-odds scaled and shifted, the moves
tempered) by L-BFGS on the validation NLL. Each step is kept only where it lowers that NLL.

  python3 scripts/lm/calibrate_career.py --ckpt small.pt --valid career/validation.jsonl --out small-calibrated.pt
      [--max-steps 64] [--stay-knots N] [--device auto|cpu|cuda]

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
from career_model import Calibration, CareerConfig, CareerModel, calibrated_log_probs, model_stay_log_odds  # noqa: E402
from device import Run, add_device_arg, load_checkpoint, pick_device, save_checkpoint  # noqa: E402
from train_career import collect_logits, read_careers  # noqa: E402


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T minimising validation NLL of softmax(logits / T), on a log grid from 0.05 to 20."""
    grid = torch.logspace(math.log10(0.05), math.log10(20), 241)
    nll = torch.stack([F.cross_entropy(logits / t, labels) for t in grid])
    return float(grid[int(torch.argmin(nll))])


def nll(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor, c: Calibration) -> float:
    return float(F.nll_loss(c.log_probs(logits, states), labels))


def fit_stay_move(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor, temperature: float, knots: int = 0) -> Calibration:
    """The stay/move parameters minimising the validation NLL: Platt scaling (stay_scale, stay_shift), or with
    `knots` a monotone piecewise-linear map of the log-odds, its knots at evenly spaced quantiles of the
    model's log-odds and its slopes kept positive (as logs); move_temperature as its log, kept positive."""
    at: tuple[float, ...] = ()
    if knots:
        quantiles = torch.linspace(0, 1, knots + 2, dtype=torch.float64)[1:-1]
        at = tuple(float(q) for q in torch.quantile(model_stay_log_odds(logits / temperature, states)[1].double(), quantiles))
    slope_param = torch.zeros(knots + 1) if knots else torch.ones(1)  # log slopes with knots, the scale itself without
    slope_param.requires_grad_(True)
    shift, log_mt = (torch.tensor(0.0, requires_grad=True) for _ in range(2))
    slopes = (lambda: slope_param.exp()) if knots else (lambda: slope_param)
    opt = torch.optim.LBFGS([slope_param, shift, log_mt], max_iter=200 * (knots + 1), line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        s = slopes()
        loss = F.nll_loss(calibrated_log_probs(logits, states, temperature, s[0], shift, log_mt.exp(), at, list(s[1:])), labels)
        loss.backward()
        return loss

    opt.step(closure)
    s = [float(v) for v in slopes()]
    return Calibration(temperature, s[0], float(shift), float(log_mt.exp()), at, tuple(s[1:]))


def held_out_nll(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor, temperature: float, knots: int) -> float:
    """The NLL of the stay/move step on questions it was not fitted on: fitted on the first half of the
    questions and scored on the second, and the other way round (halves in question order keep almost every
    person's questions on one side)."""
    half = len(labels) // 2
    parts = [slice(0, half), slice(half, len(labels))]
    total = 0.0
    for fit_on, score_on in (parts, parts[::-1]):
        c = fit_stay_move(logits[fit_on], labels[fit_on], states[fit_on], temperature, knots)
        total += nll(logits[score_on], labels[score_on], states[score_on], c) * len(labels[score_on])
    return total / len(labels)


def fit_calibration(logits: torch.Tensor, labels: torch.Tensor, states: torch.Tensor, knots: int = 0) -> tuple[Calibration, dict[str, float]]:
    """Of raw, a temperature, the temperature then stay/move (and, with `knots`, then its piecewise map), the
    calibration with the lowest validation NLL, and the NLLs it was chosen on: each step is kept only where it
    lowers the NLL, and the piecewise map only where it also does so on held-out questions (its extra
    freedom overfits a few thousand questions: nlswork)."""
    steps = [("raw", Calibration())]
    steps.append(("temperature", Calibration(temperature=fit_temperature(logits, labels))))
    t = steps[-1][1].temperature
    steps.append(("stay/move", fit_stay_move(logits, labels, states, t)))
    nlls = {name: nll(logits, labels, states, c) for name, c in steps}
    if knots:
        name = f"stay/move, {knots} knots"
        piecewise = fit_stay_move(logits, labels, states, t, knots)
        nlls[name] = nll(logits, labels, states, piecewise)
        held = {f"{n}, held out": held_out_nll(logits, labels, states, t, k) for n, k in (("stay/move", 0), (name, knots))}
        nlls.update(held)
        if held[f"{name}, held out"] < held["stay/move, held out"]:
            steps.append((name, piecewise))
    return min(steps, key=lambda s: nlls[s[0]])[1], nlls


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--valid", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-steps", type=int, default=64)
    ap.add_argument("--stay-knots", type=int, default=0, help="also try a piecewise-linear stay/move map with this many knots")
    add_device_arg(ap)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    device = pick_device(args.device)
    run = Run(device)
    ckpt = load_checkpoint(args.ckpt)
    model = CareerModel(CareerConfig(**ckpt["config"])).to(device)
    model.load_state_dict(ckpt["model"])
    logits, labels, states = collect_logits(model, read_careers(args.valid, args.max_steps), 512, device)

    best, nlls = fit_calibration(logits, labels, states, args.stay_knots)
    # The calibration replaces whatever the checkpoint carried (one written before kept a "temperature").
    out = {k: v for k, v in ckpt.items() if k != "temperature"}
    save_checkpoint({**out, "calibration": best.to_dict()}, args.out)
    print(json.dumps({
        "calibration": best.to_dict(), "valid_nll": {k: round(v, 5) for k, v in nlls.items()}, "valid_questions": int(labels.numel()),
        **run.summary(),
    }))


if __name__ == "__main__":
    main()
