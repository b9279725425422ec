"""Export the small and large models to ONNX (opset 17), with reference outputs for parity tests.

  python3 scripts/lm/export_onnx.py large --ckpt large.pt --out large.onnx --reference large-reference.json
      --tokenizer T.json --records test.jsonl --labels labels.json

  python3 scripts/lm/export_onnx.py career --ckpt small.pt --out small.onnx --reference small-reference.json
      --records career/test.jsonl [--weights fp16|int8]

small.onnx (career, the edge model): states, years, education, next_years [B, T] int64, person [B, 4] int64 ->
  probs [B, K] (calibrated distribution of the state in next_years[:, -1]; career_model.py, inputs from
  core/career-steps.ts).
large.onnx: prompt_ids [1, P] int64, candidate_ids [K, L] int64, candidate_mask [K, L] float ->
  logp [K] (log-probability of each candidate continuation; the prompt is run once, candidates in one batch
  over its cached keys and values).

--weights fp16|int8 rounds the weights before export exactly as the file will store them (float16; or
int8 per row with a float32 scale, for tensors of 1,024+ elements) and stores them so, each behind a Cast
(and Mul) back to float32: onnxruntime folds those when it loads the session, so the model runs exactly as
fast as float32 (quantize.py). The reference outputs come from the rounded model, so the file and its
reference agree to float32 precision. int8 moves the career model's probabilities by about 1e-5 nats of KL
and makes the file the edge Worker bundles half the size of float16 (gzip 0.54 MB against 1.00 MB for
nlsy79's).

Export and its reference outputs always run on the CPU (the checkpoint is loaded there whatever --device
says; the reference outputs are float32 CPU numerics, which the parity tests compare onnxruntime against).
--device is accepted so that every stage takes the same flag. The last stdout line is a JSON summary.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import bpe  # noqa: E402
from data import encode_record, read_records  # noqa: E402
from device import add_device_arg, load_checkpoint  # noqa: E402
from career_model import Calibration, CareerConfig, CareerModel, CareerServe  # noqa: E402
from model import GPT  # noqa: E402
from quantize import MIN_ELEMENTS, int8_rows, quantize  # noqa: E402
from score import CandidateGroup  # noqa: E402

OPSET = 17


class LargeScore(nn.Module):
    def __init__(self, model: GPT):
        super().__init__()
        self.model = model

    def forward(self, prompt_ids, candidate_ids, candidate_mask):
        h, presents = self.model.hidden(prompt_ids)
        first = F.log_softmax(self.model.lm_logits(h[0, -1]), dim=-1)
        logp = first[candidate_ids[:, 0]]
        hc, _ = self.model.hidden(candidate_ids[:, :-1], past=presents)  # the prompt's cache, broadcast
        step = F.log_softmax(self.model.lm_logits(hc), dim=-1).gather(2, candidate_ids[:, 1:, None])[..., 0]
        return logp + (step * candidate_mask[:, 1:]).sum(1)


def export(module: nn.Module, args: tuple, out: str, input_names, output_names, dynamic_axes) -> None:
    torch.onnx.export(
        module, args, out, opset_version=OPSET, input_names=input_names, output_names=output_names,
        dynamic_axes=dynamic_axes, do_constant_folding=False,  # keeps the tied embedding stored once
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=["career", "large"])
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--tokenizer", help="the tokenizer (large)")
    ap.add_argument("--records", required=True)
    ap.add_argument("--labels")
    ap.add_argument("--n", type=int, default=5, help="reference examples")
    ap.add_argument("--weights", choices=["fp32", "fp16", "int8"], default="fp32", help="how the file stores the weights")
    add_device_arg(ap)
    args = ap.parse_args()
    t0 = time.time()
    if args.which == "career":
        refs = export_career(args)
        summary(args, refs, t0)
        return
    tokenizer = bpe.load(args.tokenizer)
    model = GPT.from_checkpoint(load_checkpoint(args.ckpt)).eval()  # on the CPU, wherever it was trained
    round_weights(model, args.weights)
    # Reference examples: the first records that fit the model's context (a longer one is never run).
    records = [e for e in (encode_record(tokenizer, r) for r in read_records(args.records)) if len(e.ids) <= model.cfg.max_len][: args.n]
    refs = []
    with torch.no_grad():
        with open(args.labels, encoding="utf-8") as f:
            continuations = [l["continuation"] for l in json.load(f)["labels"]]
        # Every label, in label order, padded to the longest (the run time batches them by length).
        cands = CandidateGroup(list(range(len(continuations))), [tokenizer.encode(c) for c in continuations], tokenizer.token_to_id("<pad>"))
        module = LargeScore(model).eval()
        mask = cands.mask.float()
        prompt = torch.tensor([records[0].ids[: records[0].positions[1] + 1]])
        export(module, (prompt, cands.ids, mask), args.out, ["prompt_ids", "candidate_ids", "candidate_mask"], ["logp"],
               {"prompt_ids": {1: "tokens"}, "candidate_ids": {0: "labels", 1: "length"}, "candidate_mask": {0: "labels", 1: "length"}, "logp": {0: "labels"}})
        for e in records:
            for pos in e.positions[1:3]:
                p = e.ids[: pos + 1]
                refs.append({"prompt_ids": p, "logp": module(torch.tensor([p]), cands.ids, mask).tolist()})
        refs = [{"candidate_ids": cands.ids.tolist(), "candidate_mask": mask.tolist()}] + refs
    summary(args, refs, t0)


def round_weights(model: nn.Module, weights: str) -> None:
    """The weights as the file will hold them (quantize.py)."""
    with torch.no_grad():
        for p in model.parameters():
            if weights == "fp16":
                p.copy_(p.half().float())
            elif weights == "int8" and p.numel() >= MIN_ELEMENTS:
                q, scale = int8_rows(p.detach().cpu().numpy())
                p.copy_(torch.from_numpy(q.astype(np.float32) * scale))


def export_career(args) -> list[dict]:
    """The career edge model; references (by person id): the answer after the first one, two and all years of
    the first test people."""
    ckpt = load_checkpoint(args.ckpt)
    model = CareerModel(CareerConfig(**ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    model.eval()
    round_weights(model, args.weights)
    module = CareerServe(model, Calibration.of_checkpoint(ckpt)).eval()
    names = ["states", "years", "education", "next_years", "person"]
    with open(args.records, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()][: args.n]

    def inputs(r: dict, steps: int) -> tuple:
        seq = [torch.tensor([r[k][:steps]]) for k in names[:4]]
        return (*seq, torch.tensor([r["person"]]))

    refs = []
    with torch.no_grad():
        axes = {k: {0: "batch", 1: "steps"} for k in names[:4]}
        export(module, inputs(records[0], 2), args.out, names, ["probs"], {**axes, "person": {0: "batch"}, "probs": {0: "batch"}})
        for r in records:
            for steps in (1, 2, min(len(r["states"]), model.cfg.max_steps)):
                x = inputs(r, steps)
                refs.append({"id": r["id"], **{k: t[0].tolist() for k, t in zip(names, x)}, "probs": module(*x)[0].tolist()})
    return refs


def summary(args, refs: list, t0: float) -> None:
    if args.weights != "fp32":
        onnx.save(quantize(onnx.load(args.out), args.weights), args.out)
    with open(args.reference, "w", encoding="utf-8") as f:
        json.dump({"model": args.which, "weights": args.weights, "examples": refs}, f)
    print(f"{args.out}: {os.path.getsize(args.out):,} bytes; {len(refs)} reference outputs in {args.reference}")
    # Export never trains: the CPU, whatever --device asked for.
    print(json.dumps({"bytes": os.path.getsize(args.out), "references": len(refs), "device": "cpu", "seconds": round(time.time() - t0, 3), "tokens": 0, "steps": 0}))


if __name__ == "__main__":
    main()
