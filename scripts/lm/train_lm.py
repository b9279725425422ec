"""Train (or fine-tune) the large resume language model by next-token prediction.

  python3 scripts/lm/train_lm.py --tokenizer T.json --train A.jsonl [B.txt ...] --valid V.jsonl --out ckpt.pt
      [--init foundation.pt] [--epochs 3] [--lr 1e-3] [--seed 1] [--d-model 128 --n-layer 4 --n-head 4]
      [--label-valid labels.json [--label-valid-resumes 200]] [--patience N] [--device auto|cpu|cuda]

With --label-valid (the corpus's labels.json: every label's continuation), the checkpoint kept is the epoch
with the best label NLL on the first validation resumes: P(label) normalised over the labels at each year
line after the first, as the evaluation scores it (score.py), not the token loss. --patience N stops after N
epochs without a better one (trained until the validation measure flattens; the schedule still spans
--epochs).

A run that is stopped (a session ending, a machine going back) goes on from its last finished epoch when
started again with the same command (resume.py), with the result it would have had.

Inputs are resume records (.jsonl from scripts/corpus.ts) or plain documents (.txt, one per blank-line-
separated block, e.g. O*NET titles and descriptions for pretraining). Deterministic for a seed on one machine.
The last line is a JSON summary with where and how long it trained (device, seconds, tokens, steps: device.py).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import bpe  # noqa: E402
from data import encode_record, read_records  # noqa: E402
from device import Run, add_device_arg, autocast, load_checkpoint, pick_device, save_checkpoint  # noqa: E402
from model import GPT, GPTConfig  # noqa: E402
from resume import Resume  # noqa: E402
from score import Candidates, label_distributions, within_context  # noqa: E402


def set_threads() -> None:
    # Debian's torch starts with one thread; use every core.
    torch.set_num_threads(os.cpu_count() or 1)


def add_common_args(ap: argparse.ArgumentParser, *, epochs: float, lr: float, batch_tokens: int, d_model: int, n_layer: int, n_head: int) -> None:
    """The options every training script shares (their defaults differ per model)."""
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=float, default=epochs)
    ap.add_argument("--lr", type=float, default=lr)
    ap.add_argument("--batch-tokens", type=int, default=batch_tokens)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--d-model", type=int, default=d_model)
    ap.add_argument("--n-layer", type=int, default=n_layer)
    ap.add_argument("--n-head", type=int, default=n_head)
    ap.add_argument("--max-len", type=int, default=512)
    add_device_arg(ap)


def start(args) -> tuple[object, int, random.Random, Run]:
    """Threads, seeds and device set; returns the tokenizer, its pad id, the batch-order RNG and the run's
    bookkeeping (its device: args.device resolved)."""
    set_threads()
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    tokenizer = bpe.load(args.tokenizer)
    return tokenizer, tokenizer.token_to_id("<pad>"), random.Random(args.seed), Run(device)


def read_sequences(paths: list[str], tokenizer, max_len: int) -> list[list[int]]:
    seqs = []
    for path in paths:
        if path.endswith(".jsonl"):
            seqs += [encode_record(tokenizer, r).ids for r in read_records(path)]
        else:
            with open(path, encoding="utf-8") as f:
                blocks = [b.strip("\n") + "\n" for b in f.read().split("\n\n") if b.strip()]
            seqs += [tokenizer.encode(b) for b in blocks]
    long = sum(len(s) > max_len for s in seqs)
    if long:
        # Not silent: documents longer than the context are cut, and the run says how many.
        print(f"{long} of {len(seqs)} sequences longer than {max_len} tokens: truncated", flush=True)
    return [s[:max_len] for s in seqs if len(s) > 1]


def batches(seqs: list[list[int]], max_tokens: int, rng: random.Random | None):
    """Length-bucketed batches of about max_tokens tokens (padding kept small)."""
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out, cur, width = [], [], 0
    for i in order:
        w = max(width, len(seqs[i]))
        if cur and w * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, w = [], len(seqs[i])
        cur.append(i)
        width = w
    if cur:
        out.append(cur)
    if rng:
        rng.shuffle(out)
    return out


def collate(seqs: list[list[int]], idx: list[int], pad: int, device: torch.device | None = None):
    width = max(len(seqs[i]) for i in idx)
    x = torch.full((len(idx), width), pad, dtype=torch.long)
    for r, i in enumerate(idx):
        x[r, : len(seqs[i])] = torch.tensor(seqs[i])
    return x if device is None else x.to(device)


def lm_loss(model: GPT, x: torch.Tensor, pad: int) -> tuple[torch.Tensor, int]:
    logits = model(x[:, :-1])
    target = x[:, 1:]
    loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=pad, reduction="sum")
    return loss, int((target != pad).sum())


@torch.no_grad()
def evaluate(model: GPT, seqs, pad: int, max_tokens: int, device: torch.device | None = None) -> float:
    model.eval()
    total, n = 0.0, 0
    for idx in batches(seqs, max_tokens, None):
        loss, count = lm_loss(model, collate(seqs, idx, pad, device), pad)
        total, n = total + float(loss), n + count
    model.train()
    return total / max(n, 1)


@torch.no_grad()
def label_nll(model: GPT, resumes, cands: Candidates) -> float:
    """Mean -log P(observed label) over the year lines after each resume's first, P normalised over the
    labels (what the evaluation reports), for lines whose prompt and continuations fit the context."""
    model.eval()
    total, n = 0.0, 0
    for enc in resumes:
        fit, _ = within_context(enc, model.cfg.max_len, cands.width)
        for (probs, _), label in zip(label_distributions(model, fit, cands), fit.labels[1:]):
            total -= math.log(max(float(probs[label]), 1e-12))
            n += 1
    model.train()
    return total / max(n, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    add_common_args(ap, epochs=3, lr=1e-3, batch_tokens=4096, d_model=128, n_layer=4, n_head=4)
    ap.add_argument("--train", nargs="+", required=True)
    ap.add_argument("--valid", nargs="+", required=True)
    ap.add_argument("--init")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--label-valid", help="labels.json with each label's continuation: choose checkpoints on label NLL")
    ap.add_argument("--label-valid-resumes", type=int, default=100, help="validation resumes the label NLL is measured on")
    ap.add_argument("--patience", type=int, default=0, help="stop after this many epochs without a better checkpoint (0: never)")
    ap.add_argument("--dropout", type=float, help="dropout in attention and the MLPs (default: the --init checkpoint's, else 0)")
    args = ap.parse_args()
    tokenizer, pad, rng, run = start(args)
    device = run.device

    if args.init:
        init = load_checkpoint(args.init)
        if args.dropout is not None:  # a fine-tuning's own dropout
            init["config"] = {**init["config"], "dropout": args.dropout}
        model = GPT.from_checkpoint(init)
        cfg = model.cfg
    else:
        cfg = GPTConfig(vocab_size=tokenizer.vocab_size, max_len=args.max_len, n_layer=args.n_layer, n_head=args.n_head, d_model=args.d_model,
                        dropout=args.dropout or 0.0)
        model = GPT(cfg)
    model.to(device)
    train = read_sequences(args.train, tokenizer, cfg.max_len)
    valid = read_sequences(args.valid, tokenizer, cfg.max_len)
    n_tokens = sum(len(s) for s in train)
    print(f"model {model.n_params():,} params on {run.summary()['device']}; train {len(train)} sequences, {n_tokens:,} tokens; valid {len(valid)}", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01, betas=(0.9, 0.95))
    steps_per_epoch = len(batches(train, args.batch_tokens, None))
    total_steps = max(1, int(steps_per_epoch * args.epochs))
    warmup = min(100, total_steps // 10)
    schedule = lambda s: min(1.0, (s + 1) / max(1, warmup)) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / total_steps)))  # noqa: E731
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)

    label_check = None
    if args.label_valid:
        with open(args.label_valid, encoding="utf-8") as f:
            cands = Candidates(tokenizer, [l["continuation"] for l in json.load(f)["labels"]], pad).to(device)
        resumes = [encode_record(tokenizer, r) for r in read_records(args.valid[0])[: args.label_valid_resumes]]
        label_check = lambda: label_nll(model, resumes, cands)  # noqa: E731

    def measure(step: int) -> tuple[float, dict]:
        """The checkpoint measure (label NLL when asked for, else token loss) and what to log of it."""
        token = evaluate(model, valid, pad, args.batch_tokens, device)
        label = label_check() if label_check else None
        print(f"step {step}/{total_steps}: valid nll/token {token:.4f}" + (f", label NLL {label:.4f}" if label is not None else ""), flush=True)
        return (label if label is not None else token), {"valid_nll_per_token": token, **({"valid_label_nll": label} if label is not None else {})}

    resume = Resume(args)
    loop = resume.load(model, opt, sched, rng, run)
    if loop is None:
        best, info = measure(0)
        loop = {"epoch": 0, "since": 0, "best": best, "best_info": info, "best_epoch": 0, "history": []}
        save_checkpoint({"config": cfg.to_dict(), "model": model.state_dict(), **info}, args.out)
    t0, seen0 = time.time(), run.tokens
    while run.steps < total_steps and not (args.patience and loop["since"] >= args.patience):
        for idx in batches(train, args.batch_tokens, rng):
            if run.steps >= total_steps:
                break
            x = collate(train, idx, pad, device)
            with autocast(device):
                loss, count = lm_loss(model, x, pad)
            opt.zero_grad(set_to_none=True)
            (loss / count).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            run.steps, run.tokens = run.steps + 1, run.tokens + count  # tokens predicted (padding aside)
            if run.steps % args.log_every == 0 or run.steps == total_steps:
                rate = (run.tokens - seen0) / (time.time() - t0)
                print(f"step {run.steps}/{total_steps}: train nll/token {float(loss) / count:.4f} ({rate:,.0f} tokens/s)", flush=True)
        loop["epoch"] += 1
        v, info = measure(run.steps)
        loop["history"].append(round(v, 5))
        if v < loop["best"]:
            loop.update(best=v, best_info=info, best_epoch=loop["epoch"], since=0)
            save_checkpoint({"config": cfg.to_dict(), "model": model.state_dict(), **info}, args.out)
        else:
            loop["since"] += 1
        resume.save(model, opt, sched, rng, run, loop)
    resume.finish()
    print(json.dumps({
        **loop["best_info"], "best_epoch": loop["best_epoch"], "epochs_run": loop["epoch"], "valid_history": loop["history"],
        "params": model.n_params(), "tokens_per_epoch": n_tokens, **run.summary(),
    }))

if __name__ == "__main__":
    main()
