"""sha256 of a file's content, read in chunks (standard library only: scripts/gpu/run_stage.py, which runs
without PyTorch, shares it with resume.py)."""
from __future__ import annotations

import hashlib


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
