"""Resume records -> token ids, with the positions where a next state is predicted.

Records are JSON lines written by scripts/corpus.ts (the only producer of resume text):
  {"id": "...", "text": "<resume>", "labels": [label index of each year line, in order]}
A year line is "YEAR: TEXT". The prompt for that line ends at its ":" (core/resume.ts renderPrompt), which
the tokenizer keeps a token boundary, so encoding line by line equals encoding the whole text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

YEAR_PROMPT = re.compile(r"^(\d{4}:)(.*)$")


@dataclass
class Encoded:
    ids: list[int]
    # Token index of the ":" ending each year prompt, and the label observed on that line.
    positions: list[int]
    labels: list[int]


def read_records(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def encode_record(tokenizer, record: dict) -> Encoded:
    ids: list[int] = []
    positions: list[int] = []
    for line in record["text"].split("\n")[:-1]:  # the text ends with "\n"
        m = YEAR_PROMPT.match(line)
        if m:
            ids += tokenizer.encode(m.group(1))
            positions.append(len(ids) - 1)
            ids += tokenizer.encode(m.group(2) + "\n")
        else:
            ids += tokenizer.encode(line + "\n")
    if len(positions) != len(record["labels"]):
        raise ValueError(f"record {record.get('id')}: {len(positions)} year lines, {len(record['labels'])} labels")
    return Encoded(ids, positions, list(record["labels"]))
