"""Train the career edge model (career_model.py) on the panel's training people and keep the epoch with the
best label NLL on the validation people (the quantity the evaluation reports); calibrate_career.py then
calibrates it there.

  python3 scripts/lm/train_career.py --train career/train.jsonl --valid career/validation.jsonl
      --vocab career/vocab.json --out small.pt [--epochs 40 --patience 4] [--lr 2e-3] [--batch 128]
      [--d-model 128 --n-layer 2 --n-head 4 --dropout 0.1] [--seed 1] [--device auto|cpu|cuda]
      [--teacher-train teacher.jsonl --alpha 0.5 --temperature 2]

With --teacher-train (score.py --all-lines on the titles corpus of the same people: one distribution per year
line, in record order) the loss is (1 - alpha) * cross-entropy on the observed states + alpha * T^2 *
KL(teacher_T || model_T): distillation from the large model. A year line the teacher could not score (past
its context: null) is learnt from its observed state alone.

Records are JSON lines from scripts/corpus.ts (core/career-steps.ts): states, years, education, next_years,
person. Step t is trained to predict states[t + 1]. A career longer than --max-steps is cut to it (the edge
hands longer histories to the baseline). A stopped run goes on from its last finished epoch when started
again with the same command (resume.py). The last stdout line is a JSON summary (device.py's fields too).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from career_model import CareerConfig, CareerModel  # noqa: E402
from device import Run, add_device_arg, autocast, pick_device, save_checkpoint  # noqa: E402
from resume import Resume  # noqa: E402

FIELDS = ("states", "years", "education", "next_years")


def read_careers(path: str, max_steps: int, teacher_path: str | None = None) -> list[dict]:
    """Careers of at least two years, cut to max_steps; with a teacher file, each with "teacher": the teacher's
    distribution of every step's target (a row of NaN where it gave none)."""
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    rows = read_teacher(teacher_path, sum(len(r["states"]) for r in records)) if teacher_path else None
    careers, at, cut = [], 0, 0
    for r in records:
        n = len(r["states"])
        cut += n > max_steps
        c = {**{k: r[k][:max_steps] for k in FIELDS}, "person": r["person"]}
        if rows is not None:
            c["teacher"] = rows[at + 1 : at + min(n, max_steps)]  # line t + 1 is step t's target
        at += n
        if n > 1:
            careers.append(c)
    if cut:
        print(f"{cut} of {len(records)} careers longer than {max_steps} steps: cut to it", flush=True)
    return careers


def read_teacher(path: str, lines: int) -> torch.Tensor:
    with open(path, encoding="utf-8") as f:
        probs = [json.loads(line)["probs"] for line in f if line.strip()]
    if len(probs) != lines:
        raise ValueError(f"{path}: {len(probs)} distributions for {lines} year lines")
    k = len(next(p for p in probs if p is not None))
    missing = sum(p is None for p in probs)
    if missing:
        print(f"{missing} year lines past the teacher's context: learnt from their states", flush=True)
    return torch.tensor([p if p is not None else [math.nan] * k for p in probs], dtype=torch.float32)


def batch_tensors(careers: list[dict], idx: list[int], pad_state: int, device: torch.device):
    """Right-padded inputs, the targets of every step (-100 where there is none) and, where the careers
    carry them, the teacher's distributions [B, T, K] (NaN where none) for the given careers."""
    T = max(len(careers[i]["states"]) for i in idx)
    out = {k: torch.zeros((len(idx), T), dtype=torch.long) for k in FIELDS}
    out["states"].fill_(pad_state)
    targets = torch.full((len(idx), T), -100, dtype=torch.long)
    teacher = torch.full((len(idx), T, pad_state), math.nan) if "teacher" in careers[idx[0]] else None
    for r, i in enumerate(idx):
        c, n = careers[i], len(careers[i]["states"])
        for k in FIELDS:
            out[k][r, :n] = torch.tensor(c[k])
        # Padding repeats the last year so that no elapsed time is negative.
        out["years"][r, n:] = c["years"][-1]
        out["next_years"][r, n:] = c["years"][-1]
        targets[r, : n - 1] = torch.tensor(c["states"][1:])
        if teacher is not None:
            teacher[r, : n - 1] = c["teacher"]
    person = torch.tensor([careers[i]["person"] for i in idx], dtype=torch.long)
    args = tuple(t.to(device) for t in (out["states"], out["years"], out["education"], out["next_years"], person))
    return args, targets.to(device), (teacher.to(device) if teacher is not None else None)


def distillation(logits, teacher, T: float):
    """T^2 * KL(teacher_T || model_T) averaged over the steps the teacher scored (0 when none)."""
    keep = ~torch.isnan(teacher[:, 0])
    if not keep.any():
        return logits.sum() * 0
    teacher_t = F.softmax(torch.log(teacher[keep].clamp_min(1e-12)) / T, dim=-1)
    return F.kl_div(F.log_softmax(logits[keep] / T, dim=-1), teacher_t, reduction="batchmean") * T * T


@torch.no_grad()
def collect_logits(model: CareerModel, careers: list[dict], batch: int, device: torch.device):
    """Logits, targets and the state (the stay label) of every scored step, on the CPU."""
    model.eval()
    logits, targets, states = [], [], []
    order = sorted(range(len(careers)), key=lambda i: len(careers[i]["states"]))
    for s in range(0, len(order), batch):
        args, y, _ = batch_tensors(careers, order[s : s + batch], model.cfg.n_labels, device)
        out = model(*args)
        keep = y >= 0
        logits.append(out[keep].float().cpu())
        targets.append(y[keep].cpu())
        states.append(args[0][keep].cpu())
    model.train()
    return torch.cat(logits), torch.cat(targets), torch.cat(states)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--valid", required=True)
    ap.add_argument("--vocab", required=True, help="career/vocab.json: label and covariate counts")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--patience", type=int, default=4, help="stop after this many epochs without a better validation NLL")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--batch", type=int, default=128, help="careers per step")
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--n-layer", type=int, default=2)
    ap.add_argument("--n-head", type=int, default=4)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-steps", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--teacher-train", help="the large model's distributions (score.py --all-lines) for distillation")
    ap.add_argument("--alpha", type=float, default=0.5, help="weight of the distillation term")
    ap.add_argument("--temperature", type=float, default=2.0, help="distillation temperature")
    add_device_arg(ap)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)  # Debian's torch starts with one thread
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    device = pick_device(args.device)
    run = Run(device)
    with open(args.vocab, encoding="utf-8") as f:
        vocab = json.load(f)
    cfg = CareerConfig(
        n_labels=vocab["labels"], n_education=vocab["education"], n_sex=vocab["sex"], n_race=vocab["race"], n_region=vocab["region"],
        max_steps=args.max_steps, n_layer=args.n_layer, n_head=args.n_head, d_model=args.d_model, dropout=args.dropout,
    )
    model = CareerModel(cfg).to(device)
    train, valid = read_careers(args.train, cfg.max_steps, args.teacher_train), read_careers(args.valid, cfg.max_steps)
    print(f"career model {model.n_params():,} params on {run.summary()['device']}; {len(train)} train careers, {len(valid)} validation; "
          f"distillation {'on' if args.teacher_train else 'off'}", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    per_epoch = math.ceil(len(train) / args.batch)
    total = per_epoch * args.epochs
    warmup = min(100, total // 10 + 1)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / total))))
    resume = Resume(args)
    loop = resume.load(model, opt, sched, rng, run) or {"epoch": 0, "best": float("inf"), "best_epoch": 0, "since": 0, "history": []}
    while loop["epoch"] < args.epochs and loop["since"] < args.patience:
        loop["epoch"] += 1
        order = list(range(len(train)))
        rng.shuffle(order)
        for s in range(0, len(order), args.batch):
            inputs, y, teacher = batch_tensors(train, order[s : s + args.batch], cfg.n_labels, device)
            with autocast(device):
                logits = model(*inputs).float()
            scored = y >= 0
            loss = F.cross_entropy(logits[scored], y[scored])
            if teacher is not None:
                loss = (1 - args.alpha) * loss + args.alpha * distillation(logits[scored], teacher[scored], args.temperature)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            run.steps += 1
            run.tokens += int(scored.sum())
        v_logits, v_labels, _ = collect_logits(model, valid, 512, device)
        v = float(F.cross_entropy(v_logits, v_labels))
        loop["history"].append(round(v, 5))
        print(f"step {loop['epoch']}/{args.epochs} ({run.summary()['seconds']:.0f} s): valid NLL {v:.4f}", flush=True)
        if v < loop["best"] - 1e-4:
            loop.update(best=v, best_epoch=loop["epoch"], since=0)
            save_checkpoint({"config": cfg.to_dict(), "model": model.state_dict(), "epoch": loop["epoch"]}, args.out)
        else:
            loop["since"] += 1
        resume.save(model, opt, sched, rng, run, loop)
    resume.finish()

    print(json.dumps({
        "valid_nll": loop["best"], "best_epoch": loop["best_epoch"], "epochs_run": loop["epoch"], "valid_history": loop["history"],
        "params": model.n_params(), **run.summary(),
    }))


if __name__ == "__main__":
    main()
