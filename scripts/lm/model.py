"""A small GPT for resume texts (nanoGPT-style): the large model.

A causal LM trained by next-token prediction; a label's probability is the probability of its continuation
tokens after the prompt (score.py). The small edge model is another network (career_model.py).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPTConfig:
    vocab_size: int
    max_len: int = 384
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 128
    dropout: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "GPTConfig":
        """A checkpoint's config. Checkpoints written before the label head was removed carry its two fields
        (n_labels 0, lm_head true for a language model); a small model with a label head no longer loads."""
        d = dict(d)
        if d.pop("n_labels", 0) or not d.pop("lm_head", True):
            raise ValueError("a GPT with a label head (the earlier small model) is no longer supported: the edge model is career_model.py")
        return cls(**d)


class SelfAttention(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.n_head, self.d_head = cfg.n_head, cfg.d_model // cfg.n_head
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x, past=None, attn_mask=None):
        """x: [B, T, D]; past: cached (k, v), each [1 or B, H, P, Dh], or None; attn_mask: additive, broadcastable
        to [B, H, T, P+T], or None (causal). Returns the output and this call's (k, v).

        The cache is never concatenated to the new keys: scores against it are a broadcast matmul, so many
        candidate continuations can share one cached prompt without copying it per candidate."""
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)
        q, k, v = (t.view(B, T, self.n_head, self.d_head).transpose(1, 2) for t in (q, k, v))
        scale = 1.0 / math.sqrt(self.d_head)
        att = (q @ k.transpose(-2, -1)) * scale
        if past is not None:
            att = torch.cat([(q @ past[0].transpose(-2, -1)) * scale, att], dim=-1)
        if attn_mask is None:
            attn_mask = causal_mask(T, att.shape[-1] - T, x.device)
        att = self.dropout(F.softmax(att + attn_mask, dim=-1))
        if past is None:
            y = att @ v
        else:
            P = past[1].shape[2]
            y = att[..., :P] @ past[1] + att[..., P:] @ v
        y = y.transpose(1, 2).reshape(B, T, D)
        return self.proj(y), (k, v)


def causal_mask(T, P, device) -> torch.Tensor:
    """Additive mask letting each of T new positions see the P cached ones and the new ones up to itself.
    Built from aranges, not from Python sizes, so that ONNX export keeps T and P dynamic."""
    keys = torch.arange(P + T, device=device)[None, :]
    queries = torch.arange(T, device=device)[:, None] + P
    future = keys > queries
    return torch.zeros_like(future, dtype=torch.float32).masked_fill(future, float("-inf"))


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = SelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(), nn.Linear(4 * cfg.d_model, cfg.d_model), nn.Dropout(cfg.dropout)
        )

    def forward(self, x, past=None, attn_mask=None):
        a, present = self.attn(self.ln1(x), past, attn_mask)
        x = x + a
        return x + self.mlp(self.ln2(x)), present


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        self.apply(self._init)

    @classmethod
    def from_checkpoint(cls, ckpt: dict) -> "GPT":
        """The model a checkpoint holds (device.py load_checkpoint: on the CPU), in training mode."""
        model = cls(GPTConfig.from_dict(ckpt["config"]))
        model.load_state_dict(ckpt["model"])
        return model

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def hidden(self, ids, past=None, positions=None, attn_mask=None):
        """Final hidden states [B, T, D] and the per-layer (k, v) caches."""
        if positions is None:
            start = 0 if past is None else past[0][0].shape[2]
            positions = torch.arange(start, start + ids.shape[1], device=ids.device)
        x = self.tok(ids) + self.pos(positions)
        presents = []
        for i, block in enumerate(self.blocks):
            x, present = block(x, None if past is None else past[i], attn_mask)
            presents.append(present)
        return self.ln_f(x), presents

    def lm_logits(self, h):
        # The output matrix is the input embedding (tied): stored once, and it helps small data.
        return h @ self.tok.weight.t()

    def forward(self, ids):
        """Next-token logits [B, T, V]."""
        h, _ = self.hidden(ids)
        return self.lm_logits(h)

    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())
