"""Where an interrupted training run continues: after every epoch a training script saves its whole state
(model, optimiser, schedule, random generators, its own loop variables, the run's counters) to OUT.resume.pt;
started again with the same arguments, inputs and code (the script and the modules it loads), it loads that state and goes on from the next epoch,
with the same result as a run that was never stopped (bit for bit on the CPU). A finished run removes the
file. A state saved by another command (other arguments, other input files, edited scripts) is ignored and
the run starts afresh, so a stale file can never leak into a model.

The device is no part of the fingerprint, nor the folders of the input files: a run stopped on one machine
(a GPU machine's time running out, scripts/gpu/train.sh) may go on on another (states are saved as CPU
tensors).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sys

import torch

from device import Run, load_checkpoint, save_checkpoint
from file_digest import file_sha256

HERE = os.path.dirname(os.path.abspath(__file__))


def _loaded_files() -> list[str]:
    return [os.path.abspath(m.__file__) for m in list(sys.modules.values()) if getattr(m, "__file__", None)]


def fingerprint(args) -> str:
    """sha256 of the arguments (device and output aside), each input file they name as its name and content
    (not its folder: a run stopped in a GPU machine's copy of the build folder goes on here) and the training
    code: the script and every module of scripts/lm it loaded (editing another script keeps the state)."""
    def value(v):
        if isinstance(v, list):
            return [value(x) for x in v]
        return [os.path.basename(v), file_sha256(v)] if isinstance(v, str) and os.path.isfile(v) else v

    params = {k: value(v) for k, v in sorted(vars(args).items()) if k not in ("device", "out")}
    code = sorted({os.path.basename(f) for f in _loaded_files() if os.path.dirname(f) == HERE})
    text = json.dumps({"params": params, "code": [[f, file_sha256(os.path.join(HERE, f))] for f in code]}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Resume:
    def __init__(self, args):
        self.path = args.out + ".resume.pt"
        self.key = fingerprint(args)

    def load(self, model, opt, sched, rng: random.Random, run: Run) -> dict | None:
        """Restores a state saved by this same command and returns its loop variables; None to start afresh."""
        if not os.path.exists(self.path):
            return None
        state = load_checkpoint(self.path)
        if state.get("key") != self.key:
            print(f"{self.path}: saved by another command (arguments, inputs or code differ): starting afresh", flush=True)
            return None
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        if torch.cuda.is_available() and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        run.steps, run.tokens = state["steps"], state["tokens"]
        run.t0 -= state["seconds"]  # the summary's seconds count every part of the run
        print(f"resumed from {self.path} after epoch {state['loop']['epoch']} ({state['seconds']:.0f} s of training before)", flush=True)
        return state["loop"]

    def save(self, model, opt, sched, rng: random.Random, run: Run, loop: dict) -> None:
        """The state after an epoch, written whole or not at all (a run killed while saving keeps the last)."""
        save_checkpoint({
            "key": self.key, "model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
            "rng": rng.getstate(), "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
            "steps": run.steps, "tokens": run.tokens, "seconds": run.summary()["seconds"], "loop": loop,
        }, self.path + ".tmp")
        os.replace(self.path + ".tmp", self.path)

    def finish(self) -> None:
        if os.path.exists(self.path):
            os.remove(self.path)
