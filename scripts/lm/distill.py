"""Train the small edge model: the GPT stack with a softmax head over the labels, read at the ":" of every
year line, fitted to the observed labels plus the large model's distributions (distillation), then
calibrated by temperature scaling on the validation people.

  python3 scripts/lm/distill.py --tokenizer T.json --train train.jsonl --valid valid.jsonl
      --n-labels K --out small.pt [--teacher-train probs.jsonl]
      [--alpha 0.5 --temperature 2] [--epochs 8] [--d-model 64 --n-layer 2 --n-head 2] [--device auto|cpu|cuda]

The teacher file comes from score.py --all-lines (one line per year line, record order). Without them the
small model is trained on the labels alone.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from data import Encoded, encode_record, read_records  # noqa: E402
from device import autocast, load_checkpoint, save_checkpoint  # noqa: E402
from model import GPT, GPTConfig  # noqa: E402
from train_lm import add_common_args, batches, start  # noqa: E402


def read_teacher(path: str | None):
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["probs"] for line in f if line.strip()]


def one_hot(label: int, n: int) -> list[float]:
    return [1.0 if k == label else 0.0 for k in range(n)]


def load_examples(path: str, tokenizer, max_len: int, teacher_path: str | None):
    """Resumes longer than the context are cut to it: the year lines past it are not trained on (the edge
    hands such histories to the baseline or the origin)."""
    examples = [encode_record(tokenizer, r) for r in read_records(path)]
    teacher = read_teacher(teacher_path)
    soft, i, cut, unscored = [], 0, 0, 0
    n_labels = len(next((r for r in teacher if r is not None), [])) if teacher else 0
    for n, e in enumerate(examples):
        lines = len(e.positions)
        if len(e.ids) > max_len:
            keep = sum(1 for p in e.positions if p < max_len)
            examples[n] = Encoded(e.ids[:max_len], e.positions[:keep], e.labels[:keep])
            cut += 1
        if teacher is not None:
            # A line the teacher could not score (past its context, score.py wrote null) is learnt from its
            # observed label alone.
            rows = teacher[i : i + len(examples[n].positions)]
            soft.append(torch.tensor([r if r is not None else one_hot(label, n_labels) for r, label in zip(rows, examples[n].labels)]))
            unscored += sum(r is None for r in rows)
            i += lines
    if teacher is not None and i != len(teacher):
        raise ValueError(f"{teacher_path}: {len(teacher)} distributions for {i} year lines")
    if cut:
        print(f"{cut} of {len(examples)} resumes longer than {max_len} tokens: cut to the context", flush=True)
    if unscored:
        print(f"{unscored} year lines past the teacher's context: learnt from their labels", flush=True)
    return examples, soft if teacher is not None else None


def batch_tensors(examples, idx, pad: int, soft, device: torch.device | None = None):
    width = max(len(examples[i].ids) for i in idx)
    x = torch.full((len(idx), width), pad, dtype=torch.long)
    rows, cols, labels, teacher = [], [], [], []
    for r, i in enumerate(idx):
        e = examples[i]
        x[r, : len(e.ids)] = torch.tensor(e.ids)
        rows += [r] * len(e.positions)
        cols += e.positions
        labels += e.labels
        if soft is not None:
            teacher.append(soft[i])
    out = x, torch.tensor(rows), torch.tensor(cols), torch.tensor(labels), (torch.cat(teacher) if teacher else None)
    return out if device is None else tuple(t if t is None else t.to(device) for t in out)


def label_logits(model: GPT, x, rows, cols):
    _, logits = model(x)
    return logits[rows, cols]


@torch.no_grad()
def collect_logits(model: GPT, examples, pad: int, skip_first: bool, device: torch.device | None = None):
    """Label logits and labels at every year line (after each resume's first when skip_first), on the CPU."""
    model.eval()
    out_logits, out_labels = [], []
    for idx in batches([e.ids for e in examples], 8192, None):
        x, rows, cols, labels, _ = batch_tensors(examples, idx, pad, None, device)
        logits = label_logits(model, x, rows, cols)
        if skip_first:
            keep = torch.tensor([n > 0 for i in idx for n in range(len(examples[i].positions))], device=logits.device)
            logits, labels = logits[keep], labels[keep]
        out_logits.append(logits.cpu())
        out_labels.append(labels.cpu())
    model.train()
    return torch.cat(out_logits), torch.cat(out_labels)


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Temperature scaling: the T minimising validation NLL of softmax(logits / T), searched on a log grid
    from 0.05 to 20 (a grid cannot diverge, unlike a gradient fit on a poor model)."""
    grid = torch.logspace(math.log10(0.05), math.log10(20), 241)
    nll = torch.stack([F.cross_entropy(logits / t, labels) for t in grid])
    return float(grid[int(torch.argmin(nll))])


def main() -> None:
    ap = argparse.ArgumentParser()
    add_common_args(ap, epochs=8, lr=2e-3, batch_tokens=8192, d_model=64, n_layer=2, n_head=2)
    ap.add_argument("--train", required=True)
    ap.add_argument("--valid", required=True)
    ap.add_argument("--n-labels", type=int, required=True)
    ap.add_argument("--teacher-train")
    ap.add_argument("--alpha", type=float, default=0.5, help="weight of the distillation term")
    ap.add_argument("--temperature", type=float, default=2.0, help="distillation temperature")
    args = ap.parse_args()
    tokenizer, pad, rng, run = start(args)
    device = run.device
    cfg = GPTConfig(
        vocab_size=tokenizer.vocab_size, max_len=args.max_len, n_layer=args.n_layer, n_head=args.n_head,
        d_model=args.d_model, n_labels=args.n_labels, lm_head=False,
    )
    model = GPT(cfg).to(device)
    train, soft = load_examples(args.train, tokenizer, cfg.max_len, args.teacher_train)
    valid, _ = load_examples(args.valid, tokenizer, cfg.max_len, None)
    print(f"small model {model.n_params():,} params on {run.summary()['device']}; {len(train)} train resumes; distillation {'on' if soft else 'off'}", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = len(batches([e.ids for e in train], args.batch_tokens, None))
    total = max(1, int(steps_per_epoch * args.epochs))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(1.0, s / total))))
    best, step, t0 = float("inf"), 0, time.time()
    T = args.temperature
    while step < total:
        for idx in batches([e.ids for e in train], args.batch_tokens, rng):
            if step >= total:
                break
            x, rows, cols, labels, teacher = batch_tensors(train, idx, pad, soft, device)
            with autocast(device):
                logits = label_logits(model, x, rows, cols).float()
            loss = F.cross_entropy(logits, labels)
            if teacher is not None:
                # KL(teacher_T || student_T), scaled by T^2 so its gradient size does not depend on T.
                teacher_t = F.softmax(torch.log(teacher.clamp_min(1e-12)) / T, dim=-1)
                kl = F.kl_div(F.log_softmax(logits / T, dim=-1), teacher_t, reduction="batchmean") * T * T
                loss = (1 - args.alpha) * loss + args.alpha * kl
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            run.steps, run.tokens = step, run.tokens + sum(len(train[i].ids) for i in idx)
        v_logits, v_labels = collect_logits(model, valid, pad, skip_first=True, device=device)
        v = float(F.cross_entropy(v_logits, v_labels))
        print(f"step {step}/{total} ({time.time() - t0:.0f} s): valid NLL {v:.4f}", flush=True)
        if v < best:
            best = v
            save_checkpoint({"config": cfg.to_dict(), "model": model.state_dict()}, args.out)

    ckpt = load_checkpoint(args.out)
    model.load_state_dict(ckpt["model"])
    v_logits, v_labels = collect_logits(model, valid, pad, skip_first=True, device=device)
    temperature = fit_temperature(v_logits, v_labels)
    calibrated = float(F.cross_entropy(v_logits / temperature, v_labels))
    ckpt["temperature"] = temperature
    save_checkpoint(ckpt, args.out)
    print(json.dumps({"valid_nll": best, "temperature": temperature, "valid_nll_calibrated": calibrated, "params": model.n_params(), **run.summary()}))


if __name__ == "__main__":
    main()
