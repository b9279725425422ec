"""Byte-level BPE for resume texts: trainer, encoder, and Hugging Face tokenizer.json writer/reader.

Python standard library only. The tokenizer.json it writes is read by @huggingface/tokenizers in TypeScript
(core/tokenizer.ts), which must turn every text into the same ids as this file does (test/unit/tokenizer.test.ts).

Pipeline (identical here and in the tokenizer.json):
  1. Added tokens are cut out first, leftmost-longest; each is one id and is never split or merged:
     "<pad>" (id 0), "<END>" (id 1, core/resume.ts END_MARKER), then any extra tokens asked for (the codes
     rendering's "<nlswork:3>", "<state:NILF>", ...), in the order given.
  2. The rest is split by SPLIT_PATTERN (an ASCII-only regex, HF Split with behavior "Isolated"): runs of
     letters, runs of digits and runs of other characters, each with at most one leading space, and
     whitespace runs. ":" and "\n" are never inside a letter or digit run, so the prompt of core/resume.ts
     ("...\n1980:") and its continuation (" Clerical/unskilled\n") always meet at a token boundary:
     encode(prompt) + encode(continuation) == encode(prompt + continuation).
  3. Each piece is turned into bytes (UTF-8) and written with the GPT-2 byte-to-character table
     (HF ByteLevel, add_prefix_space false, use_regex false), then BPE merges are applied by rank.

Ids: the added tokens first, then the 256 bytes in byte order, then one id per merge in training order (two
merges that spell the same string, "a"+"bc" and "ab"+"c", share one id, as in the HF trainer).

Training: count the unique pieces with their frequencies; repeatedly merge the most frequent adjacent pair.
Ties in pair counts go to the pair with the smallest (left id, right id), the rule of the HF trainer.
Pair counts and the pair -> words index are updated incrementally, so each merge only touches the words
that contain the pair. Training stops at vocab_size ids or when no pair occurs min_frequency times.

CLI:
  python3 scripts/lm/bpe.py train --vocab-size 2048 --out DIR/tokenizer.json [--code-tokens codes.txt]
      [--min-frequency 2] CORPUS...
    CORPUS: a .txt corpus (trained on as written) or a .jsonl file of records with a "text" field
    (scripts/corpus.ts writes both). --code-tokens: one added token per line.
  python3 scripts/lm/bpe.py encode --tokenizer F [--jsonl] [--pieces] FILE|-
    Prints one JSON array of ids per resume: the input is a corpus .txt (resumes separated by one blank
    line, each ending with its newline). With --jsonl every input line is a JSON string (or a record with
    a "text" field) and one array is printed per line. --pieces prints the pre-tokenized pieces instead.
  python3 scripts/lm/bpe.py decode --tokenizer F FILE|-
    Every input line is a JSON array of ids; prints the decoded text of each as a JSON string.
"""
from __future__ import annotations

import argparse
import codecs
import heapq
import json
import os
import re
import sys
import time
from collections import Counter
from typing import Iterable, Sequence

PAD = "<pad>"
END = "<END>"
SPECIAL_TOKENS = (PAD, END)

# ASCII whitespace only (HT, LF, VT, FF, CR, space): the regex means the same in Python's re, JavaScript
# (u flag) and Oniguruma (the Rust tokenizers), where "\s" would not (Unicode whitespace differs between them).
_WS = r"\x09-\x0D\x20"
SPLIT_PATTERN = (
    rf" ?[A-Za-z]+| ?[0-9]+| ?[^{_WS}A-Za-z0-9]+|[{_WS}]+(?![^{_WS}])|[{_WS}]+"
)
_SPLIT = re.compile(SPLIT_PATTERN)


# A lone surrogate (possible in a JavaScript string, or a Python one read from JSON) has no UTF-8 form; like
# the TextEncoder of tokenizers.js, write it as U+FFFD.
codecs.register_error("bpe_lone_surrogate", lambda e: ("\ufffd".encode("utf-8") * (e.end - e.start), e.end))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", errors="bpe_lone_surrogate")


def _bytes_to_unicode() -> list[str]:
    """GPT-2's table: byte b -> a printable character (the HF ByteLevel alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    table = [""] * 256
    for b, c in zip(bs, cs):
        table[b] = chr(c)
    return table


BYTE_TO_CHAR = _bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in enumerate(BYTE_TO_CHAR)}


def pre_tokenize(text: str) -> list[str]:
    """The pieces BPE works on, already byte-level encoded (HF Split then ByteLevel)."""
    return ["".join(BYTE_TO_CHAR[b] for b in _utf8(piece)) for piece in _SPLIT.findall(text)]


def _added_splitter(tokens: Sequence[str]) -> re.Pattern[str] | None:
    if not tokens:
        return None
    # Longest first: at each position the longest added token wins (leftmost-longest, as HF and tokenizers.js).
    alternatives = sorted(set(tokens), key=lambda t: (-len(t), t))
    return re.compile("(" + "|".join(re.escape(t) for t in alternatives) + ")")


def _sections(text: str, splitter: re.Pattern[str] | None) -> Iterable[tuple[str, bool]]:
    """(section, is_added_token) in order; empty sections dropped."""
    if splitter is None:
        if text:
            yield text, False
        return
    for i, part in enumerate(splitter.split(text)):
        if part:
            yield part, i % 2 == 1


def merge_pair(word: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """The word with every non-overlapping occurrence of `pair`, left to right, replaced by `new_id`."""
    a, b = pair
    out: list[int] = []
    i, n = 0, len(word)
    while i < n:
        if i + 1 < n and word[i] == a and word[i + 1] == b:
            out.append(new_id)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


class Tokenizer:
    def __init__(self, added_tokens: Sequence[str], merges: Sequence[tuple[str, str]], special: Sequence[str] = SPECIAL_TOKENS):
        self.added_tokens = list(added_tokens)
        self.special = set(special)
        if len(set(self.added_tokens)) != len(self.added_tokens):
            raise ValueError("added tokens must be distinct")
        self.id_to_token: list[str] = list(self.added_tokens) + list(BYTE_TO_CHAR)
        self.vocab: dict[str, int] = {}
        for i, t in enumerate(self.id_to_token):
            self.vocab.setdefault(t, i)
        self.merges: list[tuple[str, str]] = []
        # (left id, right id) -> (rank, merged id)
        self._ranks: dict[tuple[int, int], tuple[int, int]] = {}
        n_added = len(self.added_tokens)
        for a, b in merges:
            if a not in self.vocab or b not in self.vocab:
                raise ValueError(f"merge {a!r} {b!r} uses a token that is not in the vocabulary yet")
            merged = a + b
            # Two merges can make the same string ("a"+"bc", "ab"+"c"): one id, as in HF's trainer.
            new_id = self.vocab.get(merged, -1)
            if new_id < n_added:
                new_id = len(self.id_to_token)
                self.id_to_token.append(merged)
                self.vocab[merged] = new_id
            self._ranks[(self.vocab[a], self.vocab[b])] = (len(self.merges), new_id)
            self.merges.append((a, b))
        self._added_ids = {t: i for i, t in enumerate(self.added_tokens)}
        self._splitter = _added_splitter(self.added_tokens)
        self._byte_ids = [self.vocab[c] for c in BYTE_TO_CHAR]
        self._cache: dict[str, list[int]] = {}

    # --- vocabulary -------------------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        return len(self.id_to_token)

    def token_to_id(self, token: str) -> int | None:
        return self.vocab.get(token)

    # --- encoding ---------------------------------------------------------------------------------------
    def _bpe(self, piece: str) -> list[int]:
        """Merge by rank: the lowest-ranked adjacent pair first, all its occurrences left to right."""
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        word = [self._byte_ids[b] for b in _utf8(piece)]
        ranks = self._ranks
        while len(word) > 1:
            best = None
            for pair in zip(word, word[1:]):
                r = ranks.get(pair)
                if r is not None and (best is None or r[0] < best[0]):
                    best = r
                    best_pair = pair
            if best is None:
                break
            word = merge_pair(word, best_pair, best[1])
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[piece] = word
        return word

    def encode(self, text: str) -> list[int]:
        """Token ids of a text; nothing is added around it."""
        ids: list[int] = []
        for section, added in _sections(text, self._splitter):
            if added:
                ids.append(self._added_ids[section])
            else:
                for piece in _SPLIT.findall(section):
                    ids.extend(self._bpe(piece))
        return ids

    def pieces(self, text: str) -> list[str]:
        """What BPE is applied to: the byte-level pieces of the text, added tokens as themselves."""
        out: list[str] = []
        for section, added in _sections(text, self._splitter):
            out.extend([section] if added else pre_tokenize(section))
        return out

    def decode(self, ids: Iterable[int]) -> str:
        out: list[str] = []
        buf = bytearray()
        n_added = len(self.added_tokens)
        for i in ids:
            if i < n_added:
                if buf:
                    out.append(buf.decode("utf-8", errors="replace"))
                    buf = bytearray()
                out.append(self.added_tokens[i])
            else:
                buf.extend(CHAR_TO_BYTE[c] for c in self.id_to_token[i])
        if buf:
            out.append(buf.decode("utf-8", errors="replace"))
        return "".join(out)

    # --- tokenizer.json ---------------------------------------------------------------------------------
    def to_json(self) -> dict:
        added = [
            {
                "id": i,
                "content": t,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": t in self.special,
            }
            for i, t in enumerate(self.added_tokens)
        ]
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": SPLIT_PATTERN}, "behavior": "Isolated", "invert": False},
                    byte_level,
                ],
            },
            "post_processor": None,
            "decoder": dict(byte_level),
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": None,
                "end_of_word_suffix": None,
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": {t: i for i, t in enumerate(self.id_to_token)},
                # "a b" strings: read by every tokenizers version (byte-level tokens never contain a space).
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    def save(self, path: str) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")

    @classmethod
    def from_json(cls, data: dict) -> "Tokenizer":
        """Read a tokenizer.json written by save(); refuses any other pipeline (it would encode differently)."""
        expected = cls([], []).to_json()
        for key in ("normalizer", "pre_tokenizer", "post_processor", "decoder"):
            if data.get(key) != expected[key]:
                raise ValueError(f"tokenizer.json: unsupported {key}: {json.dumps(data.get(key))[:200]}")
        model = data["model"]
        if model.get("type") != "BPE":
            raise ValueError("tokenizer.json: the model is not BPE")
        added_entries = sorted(data.get("added_tokens", []), key=lambda t: t["id"])
        if [t["id"] for t in added_entries] != list(range(len(added_entries))):
            raise ValueError("tokenizer.json: added tokens must have ids 0..n-1")
        added = [t["content"] for t in added_entries]
        special = [t["content"] for t in added_entries if t.get("special")]
        merges = [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in model["merges"]]
        tok = cls(added, merges, special)
        if tok.vocab != model["vocab"]:
            raise ValueError("tokenizer.json: vocab does not match added tokens + bytes + merges")
        return tok


def load(path: str) -> Tokenizer:
    with open(path, encoding="utf-8") as f:
        return Tokenizer.from_json(json.load(f))


def train(
    texts: Iterable[str],
    vocab_size: int,
    added_tokens: Sequence[str] = (),
    min_frequency: int = 2,
) -> Tokenizer:
    """Learn merges until vocab_size ids (added tokens + 256 bytes + merges) or no pair is frequent enough."""
    added = list(SPECIAL_TOKENS) + [t for t in dict.fromkeys(added_tokens) if t not in SPECIAL_TOKENS]
    n_base = len(added) + 256
    if vocab_size < n_base:
        raise ValueError(f"vocab_size {vocab_size} is below the {n_base} ids of the added tokens and bytes")
    splitter = _added_splitter(added)

    piece_counts: Counter[str] = Counter()
    for text in texts:
        for section, is_added in _sections(text, splitter):
            if not is_added:
                piece_counts.update(_SPLIT.findall(section))

    base = Tokenizer(added, [])
    id_to_token = list(base.id_to_token)
    token_ids = dict(base.vocab)
    byte_ids = base._byte_ids
    # Sorted for a deterministic word order (only the index order; counts do not depend on it).
    words: list[list[int]] = []
    freqs: list[int] = []
    for piece, count in sorted(piece_counts.items()):
        w = [byte_ids[b] for b in _utf8(piece)]
        if len(w) > 1:
            words.append(w)
            freqs.append(count)

    pair_counts: dict[tuple[int, int], int] = {}
    where: dict[tuple[int, int], set[int]] = {}
    for wi, (w, f) in enumerate(zip(words, freqs)):
        for pair in zip(w, w[1:]):
            pair_counts[pair] = pair_counts.get(pair, 0) + f
            where.setdefault(pair, set()).add(wi)
    heap = [(-c, p[0], p[1]) for p, c in pair_counts.items()]
    heapq.heapify(heap)

    merges: list[tuple[str, str]] = []
    while len(id_to_token) < vocab_size and heap:
        neg, a, b = heapq.heappop(heap)
        pair = (a, b)
        count = pair_counts.get(pair, 0)
        if count != -neg:
            continue  # stale entry; the current count has its own entry
        if count < min_frequency:
            break
        merged = id_to_token[a] + id_to_token[b]
        new_id = token_ids.get(merged, -1)
        if new_id < len(added):
            new_id = len(id_to_token)
            id_to_token.append(merged)
            token_ids[merged] = new_id
        merges.append((id_to_token[a], id_to_token[b]))
        changed: set[tuple[int, int]] = set()
        for wi in where.pop(pair, ()):
            w, f = words[wi], freqs[wi]
            out = merge_pair(w, (a, b), new_id)
            old_pairs = list(zip(w, w[1:]))
            new_pairs = list(zip(out, out[1:]))
            for p in old_pairs:
                pair_counts[p] -= f
            for p in new_pairs:
                pair_counts[p] = pair_counts.get(p, 0) + f
            changed.update(old_pairs)
            changed.update(new_pairs)
            new_set = set(new_pairs)
            for p in set(old_pairs) - new_set:
                s = where.get(p)
                if s is not None:
                    s.discard(wi)
            for p in new_set:
                where.setdefault(p, set()).add(wi)
            words[wi] = out
        pair_counts.pop(pair, None)
        changed.discard(pair)
        for p in changed:
            c = pair_counts.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p[0], p[1]))
            else:
                pair_counts.pop(p, None)
                where.pop(p, None)
    return Tokenizer(added, merges)


# --- CLI -------------------------------------------------------------------------------------------------
def _read_corpus(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        if path.endswith(".jsonl"):
            return [json.loads(line)["text"] for line in f if line.strip()]
        return [f.read()]


def _read_input(path: str) -> str:
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(path, encoding="utf-8") as f:
        return f.read()


def split_resumes(text: str) -> list[str]:
    """A corpus .txt (resumes joined by one blank line) back into resumes, each ending with its newline."""
    return [b if b.endswith("\n") else b + "\n" for b in text.split("\n\n") if b]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bpe.py", description="Byte-level BPE tokenizer for resume texts.")
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a tokenizer and write tokenizer.json")
    t.add_argument("--vocab-size", type=int, required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--code-tokens", help="file with one added token per line (the codes rendering)")
    t.add_argument("--min-frequency", type=int, default=2)
    t.add_argument("corpus", nargs="+")
    e = sub.add_parser("encode", help="print ids as JSON lines")
    e.add_argument("--tokenizer", required=True)
    e.add_argument("--jsonl", action="store_true", help="each input line is a JSON string or a record with a text field")
    e.add_argument("--pieces", action="store_true", help="print the pre-tokenized pieces (byte-level strings) instead of ids")
    e.add_argument("input")
    d = sub.add_parser("decode", help="decode JSON arrays of ids, one per line")
    d.add_argument("--tokenizer", required=True)
    d.add_argument("input")
    args = ap.parse_args(argv)

    if args.command == "train":
        start = time.perf_counter()
        texts = [t for path in args.corpus for t in _read_corpus(path)]
        codes: list[str] = []
        if args.code_tokens:
            with open(args.code_tokens, encoding="utf-8") as f:
                codes = [line.rstrip("\r\n") for line in f if line.strip()]
        tok = train(texts, args.vocab_size, codes, min_frequency=args.min_frequency)
        tok.save(args.out)
        chars = sum(len(t) for t in texts)
        print(
            f"{args.out}: {tok.vocab_size} ids ({len(tok.added_tokens)} added, 256 bytes, {len(tok.merges)} merges) "
            f"from {chars:,} characters in {time.perf_counter() - start:.1f} s",
            file=sys.stderr,
        )
        return 0

    tok = load(args.tokenizer)
    text = _read_input(args.input)
    out = sys.stdout
    if args.command == "encode":
        if args.jsonl:
            items = []
            for line in text.split("\n"):
                if not line.strip():
                    continue
                v = json.loads(line)
                items.append(v["text"] if isinstance(v, dict) else v)
        else:
            items = split_resumes(text)
        for item in items:
            result = tok.pieces(item) if args.pieces else tok.encode(item)
            out.write(json.dumps(result, separators=(",", ":")) + "\n")
    else:
        for line in text.split("\n"):
            if line.strip():
                out.write(json.dumps(tok.decode(json.loads(line))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
