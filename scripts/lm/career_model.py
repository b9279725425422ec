"""The career edge model: one step per observed year instead of the resume's tokens (CAREER-style), with a
head over every label and a history term a Markov chain cannot see.

A step's input is the sum of embeddings of its state, schooling, calendar year, the person's age and the
gap to the predicted year, and the person's sex, race and region; a causal transformer (the GPT blocks of
model.py) reads the steps, and the head at step t gives the distribution of the state in next_years[t]:

  logits[t, k] = head(h_t)[k] + sum_f (gate_f(h_t) + per_label[f, k]) * history_f(t, k)

history_f(t, k) are per-label facts about the career up to step t, computed inside the graph from the
states: k is the current state; log(1 + years held in k); k held before but not now; and the time-decayed
number of years held in k (decay 1, 3 and 10 years, counted back from the predicted year). The gate lets the
context decide how much returning to an earlier occupation counts. Inputs are those of core/career-steps.ts
(written by the same TypeScript encoder for training and serving).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from model import Block

YEAR_BASE, YEARS = 1900, 160  # calendar years 1900-2059 (clamped)
AGES = 100  # ages 0-99 (clamped); index AGES: birth year not known
GAPS = 10  # years to the predicted year: 0-9 (clamped)
DECAYS = (1.0, 3.0, 10.0)
N_HISTORY = 3 + len(DECAYS)


@dataclass
class CareerConfig:
    n_labels: int
    n_education: int
    n_sex: int
    n_race: int
    n_region: int
    max_steps: int = 64
    n_layer: int = 2
    n_head: int = 4
    d_model: int = 128
    dropout: float = 0.1

    def to_dict(self) -> dict:
        return asdict(self)


def history_features(states, next_years, years, n_labels: int):
    """[B, T, K, N_HISTORY] facts about each label in the career up to each step (see the module docstring).
    Padding states (index n_labels) count for no label."""
    onehot = F.one_hot(states, n_labels + 1)[..., :n_labels].float()  # [B, T, K]
    held = torch.cumsum(onehot, dim=1)
    before = ((held - onehot) > 0).float() * (1 - onehot)
    # elapsed[b, t, u]: years from step u to step t's predicted year; only u <= t counts.
    elapsed = (next_years[:, :, None] - years[:, None, :]).float().clamp_min(0)
    T = states.shape[1]
    causal = (torch.arange(T, device=states.device)[None, :] <= torch.arange(T, device=states.device)[:, None]).float()
    decayed = [(torch.exp(-elapsed / d) * causal) @ onehot for d in DECAYS]
    return torch.stack([onehot, torch.log1p(held), before, *decayed], dim=-1)


class CareerModel(nn.Module):
    def __init__(self, cfg: CareerConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.state = nn.Embedding(cfg.n_labels + 1, d)  # + padding
        self.education = nn.Embedding(cfg.n_education, d)
        self.year = nn.Embedding(YEARS, d)
        self.age = nn.Embedding(AGES + 1, d)
        self.gap = nn.Embedding(GAPS, d)
        self.sex = nn.Embedding(cfg.n_sex, d)
        self.race = nn.Embedding(cfg.n_race, d)
        self.region = nn.Embedding(cfg.n_region, d)
        self.pos = nn.Embedding(cfg.max_steps, d)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, cfg.n_labels)
        self.gate = nn.Linear(d, N_HISTORY)
        self.per_label = nn.Parameter(torch.zeros(N_HISTORY, cfg.n_labels))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, states, years, education, next_years, person):
        """states, years, education, next_years: [B, T] int64; person: [B, 4] (sex, race, region, birth year:
        0 when not known). Returns label logits [B, T, K]: at step t, for the state in next_years[t]."""
        B, T = states.shape
        birth = person[:, 3:4]
        age = torch.where(birth > 0, (next_years - birth).clamp(0, AGES - 1), torch.full_like(next_years, AGES))
        x = (
            self.state(states) + self.education(education) + self.year((years - YEAR_BASE).clamp(0, YEARS - 1))
            + self.age(age) + self.gap((next_years - years).clamp(0, GAPS - 1))
            + (self.sex(person[:, 0]) + self.race(person[:, 1]) + self.region(person[:, 2]))[:, None, :]
            + self.pos(torch.arange(T, device=states.device))[None]
        )
        x = self.drop(x)
        for block in self.blocks:
            x, _ = block(x)
        h = self.ln_f(x)
        feats = history_features(states, next_years, years, self.cfg.n_labels)  # [B, T, K, F]
        weights = self.gate(h)[:, :, None, :] + self.per_label.t()[None, None]  # [B, T, K, F]
        return self.head(h) + (feats * weights).sum(-1)

    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())


@dataclass
class Calibration:
    """How the career model's logits become the served distribution, fitted on the validation people after
    training (calibrate_career.py): a temperature over every label, then a stay/move correction. One
    temperature cannot mend what the model gets wrong: its P(stay) is too spread (too sure that a worker
    stays where it says so, not sure enough where it hesitates: docs/quality.md). So P(stay), the probability of the
    last state, is recalibrated by Platt scaling of its log-odds, stay_scale * log(P(stay) / P(move)) +
    stay_shift, and the moves keep their shape, tempered by move_temperature. With stay_knots the map of the
    log-odds is piecewise linear and monotone: slope stay_scale below stay_knots[0], stay_slopes[k] from
    stay_knots[k] on (the large model's P(stay) needs it: a floor where it is sure of a move, docs/quality.md).
    The identity is Calibration() (a checkpoint written before kept only `temperature`)."""

    temperature: float = 1.0
    stay_scale: float = 1.0
    stay_shift: float = 0.0
    move_temperature: float = 1.0
    stay_knots: tuple[float, ...] = ()
    stay_slopes: tuple[float, ...] = ()

    @classmethod
    def of_checkpoint(cls, ckpt: dict) -> "Calibration":
        return cls(**ckpt["calibration"]) if "calibration" in ckpt else cls(temperature=float(ckpt.get("temperature", 1.0)))

    def to_dict(self) -> dict:
        """Its fields; the knots only where there are any (Platt scaling reads as it always did)."""
        d = asdict(self)
        if not self.stay_knots:
            del d["stay_knots"], d["stay_slopes"]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    def log_probs(self, logits, last_state):
        return calibrated_log_probs(logits, last_state, self.temperature, self.stay_scale, self.stay_shift, self.move_temperature,
                                    self.stay_knots, self.stay_slopes)


def stay_log_odds(x, scale, shift, knots=(), slopes=()):
    """The calibrated log-odds of staying from the model's, x: shift + a piecewise-linear map with slope
    `scale` below knots[0] and slopes[k] from knots[k] on (Platt scaling without knots)."""
    y, slope = scale * x + shift, scale
    for knot, after in zip(knots, slopes):
        y, slope = y + (after - slope) * torch.relu(x - knot), after
    return y


def model_stay_log_odds(logits, last_state):
    """Which label is each row's stay [B, K], and the model's log-odds of it, log(P(stay) / P(move)) [B]: what
    the stay/move map reads (calibrate_career.py places its knots on them)."""
    stay = torch.arange(logits.shape[-1], device=logits.device)[None, :] == last_state[:, None]  # [B, K]
    log_stay = (F.log_softmax(logits, dim=-1) * stay).sum(-1)  # [B]
    log_move = torch.log1p(-torch.exp(log_stay).clamp(max=1 - 1e-6))
    return stay, log_stay - log_move


def calibrated_log_probs(logits, last_state, temperature, stay_scale, stay_shift, move_temperature, stay_knots=(), stay_slopes=()):
    """log P(label) [B, K] from logits [B, K] and each row's last state [B] (its stay label). The parameters
    may be floats or tensors (calibrate_career.py fits them by gradient)."""
    logits = logits / temperature
    stay, x = model_stay_log_odds(logits, last_state)
    odds = stay_log_odds(x, stay_scale, stay_shift, stay_knots, stay_slopes)
    moves = F.log_softmax((logits / move_temperature).masked_fill(stay, -1e9), dim=-1) + F.logsigmoid(-odds)[:, None]
    return torch.where(stay, F.logsigmoid(odds)[:, None].expand_as(moves), moves)


class CareerServe(nn.Module):
    """What small.onnx computes: the calibrated distribution at the last step of one history."""

    def __init__(self, model: CareerModel, calibration: Calibration):
        super().__init__()
        self.model, self.calibration = model, calibration

    def forward(self, states, years, education, next_years, person):
        logits = self.model(states, years, education, next_years, person)[:, -1]
        return torch.exp(self.calibration.log_probs(logits, states[:, -1]))
