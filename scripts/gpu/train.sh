#!/usr/bin/env bash
# Runs the training and scoring stages of a prepared build on a GPU machine: needs bash and python3 with torch
# and numpy, no Node.
#
#   npm run build:model -- --dataset NAME --prepare-only [--smoke] [--build-dir BUILD]   # dev machine
#   bash scripts/gpu/train.sh BUILD OUT [--device cuda|cpu|auto] [--time-limit SECONDS]  # GPU machine
#   cat OUT/gpu-results.tar.gz* | tar xzf - -C BUILD                                     # dev machine
#   npm run build:model -- --dataset NAME [--smoke] [--build-dir BUILD]                  # export, eval, artifact
#
# BUILD is the build directory (build/full or build/smoke by default) with the gpu-plan.sh that --prepare-only
# wrote. The plan runs in a copy of it (BUILD itself is not touched), each stage through
# scripts/gpu/run_stage.py, which skips a stage already done and writes the stage markers that the Node build
# reads, so the later build finds every trained stage up to date. OUT gets at most 8 files of at most 16 MiB:
# train.log (everything the stages printed) and gpu-results.tar.gz (checkpoints, teacher and score files,
# stage markers and logs), split into gpu-results.tar.gz.part0... when over 16 MiB. When even 7 parts would
# not hold it, score files (.jsonl) are left out, the largest first, their markers kept: the small model
# trained on the teacher stays current, and the later build scores again only what it still needs.
# --device defaults to cuda (cpu: the same path on any machine, for tests).
#
# --time-limit SECONDS (or a SIGTERM) stops the plan where it is and still packs: the stages done so far, and
# the one it stopped in with its best checkpoint and its training state (*.resume.pt, saved after every
# epoch by scripts/lm/resume.py). The exit status is then 75. Copied back, `npm run build:model` (or another
# train.sh run on the same folder) goes on with that stage from its last finished epoch. Give the device's
# own limit less a minute or two for packing, e.g. --time-limit 540 for a 600 s call.
set -euo pipefail

usage() { echo "usage: scripts/gpu/train.sh BUILD_DIR OUT_DIR [--device cuda|cpu|auto]" >&2; exit 2; }
[ $# -ge 2 ] || usage
BUILD=$(cd "$1" && pwd)
OUT=$2
shift 2
DEVICE=cuda
LIMIT=0
while [ $# -gt 0 ]; do
  case $1 in
    --device) DEVICE=${2:-}; shift 2 || usage ;;
    --device=*) DEVICE=${1#*=}; shift ;;
    --time-limit) LIMIT=${2:-}; shift 2 || usage ;;
    --time-limit=*) LIMIT=${1#*=}; shift ;;
    *) usage ;;
  esac
done
case $DEVICE in auto | cpu | cuda) ;; *) usage ;; esac
[[ $LIMIT =~ ^[0-9]+$ ]] || usage
[ -f "$BUILD/gpu-plan.sh" ] || { echo "no $BUILD/gpu-plan.sh: run npm run build:model -- --dataset NAME --prepare-only first" >&2; exit 1; }

R=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${PYTHON:-python3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/gpu-results.tar.gz* "$OUT/train.log"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -a "$BUILD/." "$WORK/"
rm -f "$WORK/gpu-results.txt"

"$PY" - "$DEVICE" <<'EOF' 2>&1 | tee "$OUT/train.log"
import sys, torch, numpy
cuda = torch.cuda.is_available()
print(f"torch {torch.__version__}, numpy {numpy.__version__}; --device {sys.argv[1]}; CUDA {'available: ' + torch.cuda.get_device_name(0) if cuda else 'not available'}")
EOF
# The plan runs in its own process group, so that a time limit or a SIGTERM stops every stage it started and
# this script still packs what is there.
stopped=""
stop_plan() { stopped=1; kill -TERM -- "-$plan" 2>/dev/null || true; }
trap stop_plan TERM
if [ "$LIMIT" -gt 0 ]; then
  # The watchdog's own sleep goes with it when the plan ends first (no process left behind).
  (trap 'kill "$nap" 2>/dev/null; exit 0' TERM; sleep "$LIMIT" & nap=$!; wait "$nap" && kill -TERM $$) </dev/null >/dev/null 2>&1 &
  watchdog=$!
fi
B="$WORK" R="$R" PYTHON="$PY" DEVICE="$DEVICE" setsid bash "$WORK/gpu-plan.sh" > >(tee -a "$OUT/train.log") 2>&1 &
plan=$!
status=0
while :; do
  wait "$plan" && status=0 || status=$?
  kill -0 "$plan" 2>/dev/null || break # wait returned for the signal, not because the plan ended
done
if [ -n "${watchdog:-}" ]; then kill "$watchdog" 2>/dev/null || true; wait "$watchdog" 2>/dev/null || true; fi
trap - TERM
if [ -n "$stopped" ]; then
  status=75
  echo "stopped before the plan finished (time limit or SIGTERM): packing the stages done and the state of the one stopped" | tee -a "$OUT/train.log"
fi

# The files to bring back: each stage's outputs, marker and log (run_stage.py lists them), those that exist.
PART=${GPU_RESULTS_PART_BYTES:-$((16 * 1024 * 1024))} # the device's limit per file (a test sets it smaller)
MAX_PARTS=7
pack() { # $1: list of "stage<TAB>path" lines; a stopped stage's training state comes too
  { cut -f2 "$1"; (cd "$WORK" && find . -name '*.resume.pt' | sed 's|^\./||'); } | awk '!seen[$0]++' | while IFS= read -r f; do [ -e "$WORK/$f" ] && printf '%s\n' "$f"; done >"$WORK/pack.txt"
  rm -f "$OUT"/gpu-results.tar.gz*
  tar czf "$OUT/gpu-results.tar.gz" -C "$WORK" -T "$WORK/pack.txt"
  stat -c %s "$OUT/gpu-results.tar.gz"
}
if [ -f "$WORK/gpu-results.txt" ]; then
  size=$(pack "$WORK/gpu-results.txt")
  # Too big to bring back: leave out score files (.jsonl: teacher and test distributions), the largest first,
  # until the rest fits. Their markers come back: the small model trained on the teacher stays current, and
  # the later build scores again only what it still needs (the large model's test questions, a variant's).
  cp "$WORK/gpu-results.txt" "$WORK/kept.txt"
  while [ "$size" -gt $((PART * MAX_PARTS)) ]; do
    largest=$(cut -f2 "$WORK/kept.txt" | grep '\.jsonl$' | while IFS= read -r f; do [ -e "$WORK/$f" ] && printf '%s\t%s\n' "$(stat -c %s "$WORK/$f")" "$f"; done | sort -rn | head -1 | cut -f2 || true)
    if [ -z "$largest" ]; then
      rm -f "$OUT"/gpu-results.tar.gz*
      echo "gpu-results.tar.gz is $size bytes even without the score files: too big to bring back" | tee -a "$OUT/train.log"
      exit 1
    fi
    awk -F'\t' -v f="$largest" '$2 != f' "$WORK/kept.txt" >"$WORK/kept.next" && mv "$WORK/kept.next" "$WORK/kept.txt"
    size=$(pack "$WORK/kept.txt")
    echo "gpu-results.tar.gz leaves out $largest (over $MAX_PARTS parts with it): the build scores it again if it needs it" | tee -a "$OUT/train.log"
  done
  if [ "$size" -gt "$PART" ]; then
    split -b "$PART" -d -a 1 "$OUT/gpu-results.tar.gz" "$OUT/gpu-results.tar.gz.part"
    rm "$OUT/gpu-results.tar.gz"
  fi
  echo "wrote $OUT: $(ls "$OUT" | tr '\n' ' ')($size bytes packed); bring back with: cat OUT/gpu-results.tar.gz* | tar xzf - -C BUILD_DIR" | tee -a "$OUT/train.log"
fi
exit "$status"
