"""Next-state distributions from the large LM: P(label) is the probability of the label's continuation
tokens after the prompt, normalised over the label set. The prompt is run once; the candidates are scored
over its cached keys and values in a few batches of similar length (not one full pass per label).

  python3 scripts/lm/score.py --model ckpt.pt --tokenizer T.json --labels labels.json --records test.jsonl
      --out probs.jsonl [--max-examples N] [--device auto|cpu|cuda]

Writes one JSON line per scored year line (every year line after a resume's first, in record order; the
same order as scripts/eval/examples.ts): {"probs": [...], "outside_mass": m}. A year line whose prompt and
longest continuation do not fit the model's context gets {"probs": null, "outside_mass": null}: past the
context, as at run time, where such a history goes to the baseline. Probabilities are written to six
significant digits. Scoring runs in float32 on every device (the teacher's probabilities are targets). The last stdout line is a JSON summary (device.py's fields).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import bpe  # noqa: E402
from data import Encoded, encode_record, read_records  # noqa: E402
from device import Run, add_device_arg, load_checkpoint, pick_device  # noqa: E402
from model import GPT, causal_mask  # noqa: E402


def length_groups(lengths: list[int], call_cost: float = 128) -> list[list[int]]:
    """The labels (indices) in groups of consecutive continuation lengths that minimise the padded tokens plus
    call_cost per group (a dynamic programme over the sorted lengths; the same as core/large-model.ts's
    candidateBatches). A batch is padded to its longest: nlsy79's titles are 2 to 22 tokens, 6.5 on average."""
    order = sorted(range(len(lengths)), key=lambda k: lengths[k])
    n = len(order)
    best, cut = [0.0] + [float("inf")] * n, [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(i):
            cost = best[j] + (i - j) * lengths[order[i - 1]] + (call_cost if j else 0)
            if cost < best[i]:
                best[i], cut[i] = cost, j
    groups, i = [], n
    while i > 0:
        groups.insert(0, order[cut[i] : i])
        i = cut[i]
    return groups


class CandidateGroup:
    """Some labels' continuations as token ids, padded into one [k, L] batch."""

    def __init__(self, index: list[int], ids: list[list[int]], pad: int):
        self.index = torch.tensor(index)
        self.lengths = torch.tensor([len(i) for i in ids])
        width = int(self.lengths.max())
        self.ids = torch.full((len(ids), width), pad, dtype=torch.long)
        for k, seq in enumerate(ids):
            self.ids[k, : len(seq)] = torch.tensor(seq)
        self.mask = torch.arange(width)[None, :] < self.lengths[:, None]

    def to(self, device: torch.device) -> "CandidateGroup":
        self.index, self.lengths, self.ids, self.mask = (t.to(device) for t in (self.index, self.lengths, self.ids, self.mask))
        return self


class Candidates:
    """Every label's continuation as token ids, in groups of similar length (length_groups)."""

    def __init__(self, tokenizer, continuations: list[str], pad: int, call_cost: float = 128):
        ids = [tokenizer.encode(c) for c in continuations]
        self.count = len(ids)
        self.width = max(len(i) for i in ids)
        self.groups = [CandidateGroup(g, [ids[k] for k in g], pad) for g in length_groups([len(i) for i in ids], call_cost)]

    def to(self, device: torch.device) -> "Candidates":
        self.groups = [g.to(device) for g in self.groups]
        return self


def group_logp(model: GPT, ids, logits, presents, pos, group: CandidateGroup):
    """log P(continuation) of one group's labels at the year lines ending at `pos`: [m, k]."""
    dev, T = ids.device, ids.shape[1]
    m, (K, L) = len(pos), group.ids.shape
    B = m * K
    logp = F.log_softmax(logits[pos], dim=-1)[:, group.ids[:, 0]]  # [m, K]
    if L > 1:
        q = group.ids[:, :-1].repeat(m, 1)  # [B, L-1]: every candidate, for every year line
        positions = (pos[:, None, None] + 1 + torch.arange(L - 1, device=dev)[None, None, :]).expand(m, K, L - 1).reshape(B, L - 1)
        sees_prefix = torch.arange(T, device=dev)[None, :] <= pos[:, None]  # [m, T]: the prompt ends at its ":"
        prefix_mask = torch.zeros(m, T, device=dev).masked_fill(~sees_prefix, float("-inf"))
        prefix_mask = prefix_mask[:, None, None, :].expand(m, K, L - 1, T).reshape(B, 1, L - 1, T)
        own_mask = causal_mask(L - 1, 0, dev).expand(B, 1, L - 1, L - 1)
        hc, _ = model.hidden(q, past=presents, positions=positions, attn_mask=torch.cat([prefix_mask, own_mask], dim=-1))
        nxt = group.ids[:, 1:].repeat(m, 1)
        step = F.log_softmax(model.lm_logits(hc), dim=-1).gather(2, nxt[..., None])[..., 0]
        logp = logp + (step * group.mask[:, 1:].repeat(m, 1)).sum(1).view(m, K)
    return logp


@torch.no_grad()
def label_distributions(model: GPT, encoded, cands: Candidates, skip_first: bool = True, max_rows: int | None = None):
    """For one resume: (probs [K], outside mass) at each year line. The resume is run once; then the
    candidates of many year lines go in one batch per length group (on a GPU; up to max_rows rows), each row
    seeing the cached prefix only up to its line. On a CPU one year line at a time is faster: the large
    batch's masks and activations cost more in memory traffic than they save (nlsy79: 0.42 against 0.68 s a
    line on 2 cores, before the length groups)."""
    dev = cands.groups[0].ids.device
    if max_rows is None:
        max_rows = 4096 if dev.type == "cuda" else cands.count
    ids = torch.tensor(encoded.ids, device=dev)[None, :]
    h, presents = model.hidden(ids)
    logits = model.lm_logits(h[0])
    wanted = encoded.positions[1:] if skip_first else encoded.positions
    out = []
    step_rows = max(1, max_rows // cands.count)
    for start in range(0, len(wanted), step_rows):
        pos = torch.tensor(wanted[start : start + step_rows], device=dev)
        logp = torch.empty(len(pos), cands.count, device=dev)
        for group in cands.groups:
            logp[:, group.index] = group_logp(model, ids, logits, presents, pos, group)
        for row in logp:
            out.append((F.softmax(row, 0), 1.0 - float(torch.logsumexp(row, 0).exp())))
    return out


def within_context(enc: Encoded, max_len: int, continuation_len: int) -> tuple[Encoded, int]:
    """The resume cut to the year lines whose prompt and every continuation fit the context, and how many
    year lines were cut (always the last ones)."""
    if len(enc.ids) <= max_len:
        return enc, 0
    keep = sum(1 for p in enc.positions if p + continuation_len <= max_len)
    return Encoded(enc.ids[:max_len], enc.positions[:keep], enc.labels[:keep]), len(enc.positions) - keep


def load_model(path: str, device: torch.device | None = None) -> GPT:
    model = GPT.from_checkpoint(load_checkpoint(path))
    return model.eval() if device is None else model.to(device).eval()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--records", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-examples", type=int, default=0, help="stop after this many scored year lines (0: all)")
    ap.add_argument("--all-lines", action="store_true", help="also score each resume's first year line")
    add_device_arg(ap)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    run = Run(pick_device(args.device))

    tokenizer = bpe.load(args.tokenizer)
    model = load_model(args.model, run.device)
    with open(args.labels, encoding="utf-8") as f:
        continuations = [l["continuation"] for l in json.load(f)["labels"]]
    cands = Candidates(tokenizer, continuations, tokenizer.token_to_id("<pad>")).to(run.device)
    records = read_records(args.records)
    total = sum(len(r["labels"]) - (0 if args.all_lines else 1) for r in records)
    if args.max_examples:
        total = min(total, args.max_examples)
    n = past_context = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for record in records:
            enc, past = within_context(encode_record(tokenizer, record), model.cfg.max_len, cands.width)
            # Six significant digits: far below any metric's resolution, and the file (teacher scores of every
            # training line, test scores a GPU run brings back) is half the size.
            rows = [([float(f"{x:.6g}") for x in p.tolist()], o) for p, o in label_distributions(model, enc, cands, skip_first=not args.all_lines)]
            run.tokens += len(enc.ids)
            first = 0 if args.all_lines or enc.positions else 1  # the skipped first line may itself be past the context
            past_context += max(0, past - first)
            for probs, outside in rows + [(None, None)] * max(0, past - first):
                out.write(json.dumps({"probs": probs, "outside_mass": outside}) + "\n")
                n += 1
                if n % 500 == 0:
                    print(f"step {n}/{total}", flush=True)
            if args.max_examples and n >= args.max_examples:
                break
    print(f"scored {n} year lines ({past_context} past the context)", file=sys.stderr)
    print(json.dumps({"scored": n, "past_context": past_context, **run.summary()}), flush=True)


if __name__ == "__main__":
    main()
