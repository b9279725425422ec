"""Where a stage runs its model, and the bookkeeping every stage shares: one place for the device choice,
the mixed-precision context, CPU-only checkpoints and the summary fields (device, seconds, tokens, steps).

  --device auto   cuda when torch.cuda.is_available(), else cpu (the default)
  --device cpu    exactly the numerics the scripts always had (no autocast, no TF32)
  --device cuda   the first CUDA device; training forward passes run under bfloat16 autocast where the GPU
                  supports it (the loss and the optimiser stay float32); evaluation and scoring stay float32 (TF32
                  left off: PyTorch's default)

Checkpoints are always saved as CPU tensors (they load on any machine) and loaded with map_location="cpu",
then moved to the device. Works with Debian's torch 1.13 and pip-installed PyTorch 2.x.
"""
from __future__ import annotations

import argparse
import contextlib
import time

import torch

CHOICES = ("auto", "cpu", "cuda")


def add_device_arg(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--device", choices=CHOICES, default="auto", help="where the model runs (auto: cuda when available)")


def pick_device(choice: str = "auto") -> torch.device:
    if choice == "cpu":
        return torch.device("cpu")
    cuda = torch.cuda.is_available()
    if choice == "cuda" and not cuda:
        raise SystemExit("--device cuda: torch.cuda.is_available() is False (no GPU, or a CPU-only torch)")
    return torch.device("cuda") if cuda else torch.device("cpu")


def device_name(device: torch.device) -> str:
    """ "cpu", or the CUDA device's name (e.g. "NVIDIA H200")."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return device.type


def bf16_ok(device: torch.device) -> bool:
    if device.type != "cuda" or not hasattr(torch, "autocast"):
        return False
    supported = getattr(torch.cuda, "is_bf16_supported", None)
    return bool(supported()) if supported else False


def autocast(device: torch.device):
    """bfloat16 autocast for a training forward pass on a CUDA device that supports it; on the CPU (and
    anywhere else) a no-op, so CPU results stay bit for bit what they were."""
    if bf16_ok(device):
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def to_cpu(obj):
    """A checkpoint's tensors (nested in dicts, lists, tuples) as CPU tensors; everything else as it is."""
    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return {k: to_cpu(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_cpu(v) for v in obj)
    return obj


def save_checkpoint(ckpt: dict, path: str) -> None:
    torch.save(to_cpu(ckpt), path)


def load_checkpoint(path: str) -> dict:
    return torch.load(path, map_location="cpu")


class Run:
    """Wall-clock seconds since the stage started, tokens its model read and optimiser steps it took: the
    fields every stage's final JSON line carries (build-model.ts puts them in the manifest)."""

    def __init__(self, device: torch.device):
        self.device = device
        self.t0 = time.time()
        self.tokens = 0
        self.steps = 0

    def summary(self) -> dict:
        return {"device": device_name(self.device), "seconds": round(time.time() - self.t0, 3), "tokens": self.tokens, "steps": self.steps}
