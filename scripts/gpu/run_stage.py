"""One stage of a GPU plan (BUILD_DIR/gpu-plan.sh, written by `npm run build:model -- --prepare-only`), run
the way scripts/build/stage.ts runs it, without Node:

  python3 scripts/gpu/run_stage.py BUILD_DIR NAME LOG PARAMS_JSON --inputs IN... --outputs OUT... -- COMMAND...

The stage's key is computed exactly as StageRunner computes it (sha256 of {"params": PARAMS_JSON, "inputs":
[[basename, sha256], ...]}, PARAMS_JSON being the JSON.stringify text that build-model.ts wrote into the
plan). A stage whose marker (BUILD_DIR/NAME.stage.json) holds that key and whose outputs exist is skipped;
otherwise COMMAND runs with its stdout and stderr in BUILD_DIR/LOG.log (as scripts/build/python.ts keeps
them), its outputs are checked and the marker written. So a later `npm run build:model` on any machine,
given these files, finds the stage up to date. Every stage's outputs, marker and log are listed (relative
to BUILD_DIR, after the stage name and a tab) in BUILD_DIR/gpu-results.txt, for scripts/gpu/train.sh.
Standard library only.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lm"))
from file_digest import file_sha256  # noqa: E402


def stage_key(params_json: str, inputs: list[str]) -> str:
    pairs = [[os.path.basename(f), file_sha256(f)] for f in inputs]
    text = '{"params":' + params_json + ',"inputs":' + json.dumps(pairs, separators=(",", ":")) + "}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def forget_training_states(outputs: list[str]) -> None:
    """A finished stage needs no training state (OUTPUT.resume.pt) any more (as StageRunner does)."""
    for o in outputs:
        if os.path.exists(o + ".resume.pt"):
            os.remove(o + ".resume.pt")


def split_args(argv: list[str]) -> tuple[list[str], list[str], list[str]]:
    if "--inputs" not in argv or "--outputs" not in argv or "--" not in argv:
        raise SystemExit("usage: run_stage.py BUILD_DIR NAME LOG PARAMS_JSON --inputs IN... --outputs OUT... -- COMMAND...")
    i, o, c = argv.index("--inputs"), argv.index("--outputs"), argv.index("--")
    return argv[i + 1 : o], argv[o + 1 : c], argv[c + 1 :]


def main() -> None:
    build, name, log, params_json = sys.argv[1:5]
    inputs, outputs, command = split_args(sys.argv[5:])
    marker = os.path.join(build, f"{name}.stage.json")
    log_file = os.path.join(build, f"{log}.log")
    rel = lambda p: os.path.relpath(p, build)  # noqa: E731
    with open(os.path.join(build, "gpu-results.txt"), "a", encoding="utf-8") as results:
        results.writelines(f"{name}\t{rel(p)}\n" for p in [*outputs, marker, log_file])

    missing = [f for f in inputs if not os.path.exists(f)]
    if missing:
        raise SystemExit(f"stage {name}: missing inputs {', '.join(missing)} (did an earlier stage fail?)")
    key = stage_key(params_json, inputs)
    if os.path.exists(marker) and all(os.path.exists(o) for o in outputs):
        with open(marker, encoding="utf-8") as f:
            if json.load(f).get("key") == key:
                print(f"{name}: up to date", flush=True)
                forget_training_states(outputs)
                return
    t0 = time.time()
    with open(log_file, "w", encoding="utf-8") as logf:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert child.stdout is not None
        for line in child.stdout:
            logf.write(line)
            print(f"  {line}", end="", flush=True)
        code = child.wait()
    if code != 0:
        raise SystemExit(f"stage {name}: {' '.join(command)} exited with {code}; see {log_file}")
    seconds = time.time() - t0
    absent = [o for o in outputs if not os.path.exists(o)]
    if absent:
        raise SystemExit(f"stage {name} did not write {', '.join(absent)}")
    with open(marker, "w", encoding="utf-8") as f:
        f.write(json.dumps({"key": key}, separators=(",", ":")) + "\n")  # the key alone, as StageRunner writes it
    forget_training_states(outputs)
    print(f"{name}: done in {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
