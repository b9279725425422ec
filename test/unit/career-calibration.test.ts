// The career edge model's calibration (scripts/lm/career_model.py Calibration, calibrated_log_probs;
// scripts/lm/calibrate_career.py): the stay/move correction does what its formula says, the identity changes
// nothing, a checkpoint written before keeps its temperature, and calibrating a trained model on validation
// people lowers their NLL step by step and is carried into the ONNX file that the edge runs, a piecewise map
// of P(stay) included.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const work = mkdtempSync(path.join(tmpdir(), "career-calibration-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const python = (args: string[]) => execFileSync(pythonExecutable(), args, { encoding: "utf8", cwd: work });
const pyJson = (code: string) =>
  JSON.parse(python(["-c", `import json, sys, torch\nsys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})\n${code}`]));

describe("calibrated_log_probs", () => {
  it("the identity is the softmax; otherwise P(stay) is the sigmoid of the scaled, shifted log-odds and the moves keep their tempered shape", () => {
    const r = pyJson(`
import torch.nn.functional as F
from career_model import Calibration, calibrated_log_probs
logits = torch.tensor([[2.0, 0.5, -1.0, 0.0], [0.1, 0.2, 0.3, 3.0]])
last = torch.tensor([0, 3])
ident = calibrated_log_probs(logits, last, 1.0, 1.0, 0.0, 1.0)
a, c, tm = 0.7, 0.4, 1.3
cal = calibrated_log_probs(logits, last, 1.0, a, c, tm).exp()
p = F.softmax(logits, -1)
stay = p[[0, 1], last]
expect_stay = torch.sigmoid(a * torch.log(stay / (1 - stay)) + c)
moves0 = F.softmax(logits[0, 1:] / tm, -1) * (1 - expect_stay[0])
print(json.dumps({"ident": float((ident.exp() - p).abs().max()), "sums": cal.sum(-1).tolist(),
  "stay": float((cal[[0, 1], last] - expect_stay).abs().max()), "moves": float((cal[0, 1:] - moves0).abs().max()),
  "legacy": Calibration.of_checkpoint({"temperature": 1.3}).to_dict(), "none": Calibration.of_checkpoint({}).to_dict()}))`);
    expect(r.ident).toBeLessThan(1e-6);
    for (const s of r.sums) expect(s).toBeCloseTo(1, 5);
    expect(r.stay).toBeLessThan(1e-5);
    expect(r.moves).toBeLessThan(1e-5);
    expect(r.legacy).toEqual({ temperature: 1.3, stay_scale: 1, stay_shift: 0, move_temperature: 1 });
    expect(r.none).toEqual({ temperature: 1, stay_scale: 1, stay_shift: 0, move_temperature: 1 });
  });
});

describe("scripts/lm/calibrate_career.py", () => {
  it("fits the calibration on validation people (each step no worse), and the ONNX export computes it", async () => {
    // Careers whose stays are less certain than an over-trained model says: it learns them, then is calibrated.
    const career = (i: number) => {
      const n = 4 + (i % 7);
      const states = [i % 5];
      for (let t = 1; t < n; t++) states.push((i * 7 + t * 3) % 4 === 0 ? (states[t - 1]! + 1 + (i % 3)) % 5 : states[t - 1]!);
      const years = Array.from({ length: n }, (_, t) => 1980 + t);
      return JSON.stringify({ id: `p${i}`, states, years, education: years.map(() => i % 3), next_years: years.map((y) => y + 1), person: [i % 2, i % 3, i % 4, 1960 + (i % 5)] });
    };
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => career(from + i)).join("\n") + "\n";
    writeFileSync(path.join(work, "train.jsonl"), lines(0, 150));
    writeFileSync(path.join(work, "valid.jsonl"), lines(150, 230));
    writeFileSync(path.join(work, "vocab.json"), JSON.stringify({ labels: 5, education: 3, sex: 2, race: 3, region: 4 }));
    python([repoPath("scripts", "lm", "train_career.py"), "--train", "train.jsonl", "--valid", "valid.jsonl", "--vocab", "vocab.json", "--out", "small.pt",
      "--epochs", "6", "--patience", "6", "--batch", "16", "--d-model", "16", "--n-layer", "1", "--n-head", "1", "--device", "cpu"]);
    const out = python([repoPath("scripts", "lm", "calibrate_career.py"), "--ckpt", "small.pt", "--valid", "valid.jsonl", "--out", "calibrated.pt", "--device", "cpu"]);
    const summary = JSON.parse(out.trim().split("\n").at(-1)!);
    const nll = summary.valid_nll;
    expect(nll.temperature).toBeLessThanOrEqual(nll.raw);
    expect(nll["stay/move"]).toBeLessThanOrEqual(nll.temperature + 1e-9);
    expect(Object.keys(summary.calibration).sort()).toEqual(["move_temperature", "stay_scale", "stay_shift", "temperature"]);
    expect(summary.calibration).not.toEqual({ temperature: 1, stay_scale: 1, stay_shift: 0, move_temperature: 1 });

    // PyTorch's reference outputs, written at export, are the calibrated distribution, and the exported graph
    // run by onnxruntime (the engine the edge runs) gives them.
    const exported = await exportAndCheck("calibrated.pt", "small");
    expect(exported.raw, "the reference is calibrated, not the raw softmax").toBeGreaterThan(1e-4);
  }, 120_000);

  it("keeps the piecewise map where P(stay) has a floor that Platt scaling cannot draw", () => {
    // 6,000 questions whose model log-odds of staying run evenly from -4 to 4, while people stay at least a
    // quarter of the time (as nlsy79's coding noise makes them): the knots win on held-out questions too.
    const r = pyJson(`
import math
from calibrate_career import fit_calibration
g = torch.Generator().manual_seed(1)
n, K = 6000, 4
states = torch.randint(0, K, (n,), generator=g)
x = torch.empty(n).uniform_(-4, 4, generator=g)
logits = torch.zeros(n, K)
logits[torch.arange(n), states] = x + math.log(K - 1)  # P(stay) / P(move) = e^x, the moves even
stays = torch.rand(n, generator=g) < torch.clamp(torch.sigmoid(x), min=0.25)
labels = torch.where(stays, states, (states + 1 + torch.randint(0, K - 1, (n,), generator=g)) % K)
c, nlls = fit_calibration(logits, labels, states, 5)
probe = torch.zeros(2, K)
probe[:, 0] = torch.tensor([-4.0, 3.0]) + math.log(K - 1)
print(json.dumps({"knots": len(c.stay_knots), "nlls": nlls, "stay": c.log_probs(probe, torch.tensor([0, 0]))[:, 0].exp().tolist()}))`);
    expect(r.knots).toBe(5);
    expect(r.nlls["stay/move, 5 knots, held out"]).toBeLessThan(r.nlls["stay/move, held out"]);
    expect(r.stay[0]).toBeCloseTo(0.25, 1); // the floor, where the model says 2%
    expect(r.stay[1]).toBeCloseTo(1 / (1 + Math.exp(-3)), 1); // above it the model was right
  });

  it("carries a piecewise map of P(stay) (--stay-knots) into the ONNX file", async () => {
    // The fitted model above, its calibration given knots that straddle its own stay log-odds: PyTorch's
    // reference is the piecewise formula, and the exported graph gives it.
    const r = pyJson(`
from career_model import Calibration, CareerConfig, CareerModel, model_stay_log_odds
from device import save_checkpoint
from train_career import collect_logits, read_careers
ckpt = torch.load("calibrated.pt")
model = CareerModel(CareerConfig(**ckpt["config"])); model.load_state_dict(ckpt["model"])
logits, labels, states = collect_logits(model, read_careers("valid.jsonl", 64), 64, torch.device("cpu"))
odds = model_stay_log_odds(logits / 1.1, states)[1]
knots = [float(q) for q in torch.quantile(odds, torch.tensor([0.3, 0.7]))]
c = Calibration(1.1, 0.6, 0.2, 1.2, tuple(knots), (1.5, 0.3))
save_checkpoint({**ckpt, "calibration": c.to_dict()}, "piecewise.pt")
platt = Calibration(1.1, 0.6, 0.2, 1.2).log_probs(logits, states).exp()
print(json.dumps({"knots": knots, "changed": float((c.log_probs(logits, states).exp() - platt).abs().max())}))`);
    expect(r.knots[1]).toBeGreaterThan(r.knots[0]);
    expect(r.changed, "the knots change the distribution").toBeGreaterThan(0.01);
    const exported = await exportAndCheck("piecewise.pt", "piecewise");
    expect(exported.calibration.stay_knots).toEqual(r.knots);
  }, 120_000);
});

/** Exports a calibrated checkpoint to NAME.onnx with PyTorch's reference outputs; checks the reference is
 *  the checkpoint's model and calibration on every example, and that onnxruntime (the engine the edge runs)
 *  gives it. Returns how far the raw softmax is from the reference, and the calibration. */
async function exportAndCheck(ckpt: string, name: string): Promise<{ raw: number; calibration: { stay_knots?: number[] } }> {
  python([repoPath("scripts", "lm", "export_onnx.py"), "career", "--records", "valid.jsonl", "--ckpt", ckpt, "--out", `${name}.onnx`,
    "--reference", `${name}-reference.json`, "--weights", "fp32", "--device", "cpu"]);
  const r = pyJson(`
import torch.nn.functional as F
from career_model import Calibration, CareerConfig, CareerModel
ckpt = torch.load(${JSON.stringify(ckpt)})
model = CareerModel(CareerConfig(**ckpt["config"])); model.load_state_dict(ckpt["model"]); model.eval()
c = Calibration.of_checkpoint(ckpt)
diff, raw = 0.0, 0.0
for ex in json.load(open(${JSON.stringify(`${name}-reference.json`)}))["examples"]:
    t = lambda k: torch.tensor([ex[k]])
    with torch.no_grad():
        logits = model(t("states"), t("years"), t("education"), t("next_years"), t("person"))[:, -1]
    want = torch.tensor(ex["probs"])
    diff = max(diff, float((c.log_probs(logits, t("states")[:, -1]).exp()[0] - want).abs().max()))
    raw = max(raw, float((F.softmax(logits, -1)[0] - want).abs().max()))
print(json.dumps({"diff": diff, "raw": raw, "calibration": c.to_dict()}))`);
  expect(r.diff).toBeLessThan(1e-5);
  const reference: { examples: Record<string, number[]>[] } = JSON.parse(readFileSync(path.join(work, `${name}-reference.json`), "utf8"));
  const session = await InferenceSession.create(path.join(work, `${name}.onnx`));
  for (const ex of reference.examples) {
    const int64 = (v: number[], dims: number[]) => new Tensor("int64", BigInt64Array.from(v.map(BigInt)), dims);
    const steps = ex.states!.length;
    const feeds = Object.fromEntries(["states", "years", "education", "next_years"].map((k) => [k, int64(ex[k]!, [1, steps])]));
    const { probs } = await session.run({ ...feeds, person: int64(ex.person!, [1, 4]) });
    const got = Array.from(probs!.data as Float32Array);
    expect(Math.max(...got.map((p, k) => Math.abs(p - ex.probs![k]!)))).toBeLessThan(1e-5);
  }
  return r;
}
