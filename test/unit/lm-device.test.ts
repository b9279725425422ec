// Training that uses a GPU when there is one and still runs without (scripts/lm/device.py): a tiny training
// stage forced onto the CPU says in its JSON summary where and how long it trained, its checkpoint holds CPU
// tensors only (it loads on any machine without map_location), and the GPU plan's stage runner keys a stage
// exactly as the Node build does (so a stage trained elsewhere counts as done). GPT checkpoints written before
// the label head was removed still load.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { stageKey } from "../../scripts/build/stage.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const work = mkdtempSync(path.join(tmpdir(), "lm-device-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const python = (args: string[]) => execFileSync(pythonExecutable(), args, { encoding: "utf8", cwd: work });

describe("--device", () => {
  it("a training stage on --device cpu records device, seconds, tokens and steps, and saves CPU tensors", () => {
    const words = ["Sales", "Clerical", "Manager", "Nurse", "Teacher", "Driver", "1980:", "1982:"];
    const docs = Array.from({ length: 24 }, (_, i) => Array.from({ length: 20 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" "));
    writeFileSync(path.join(work, "docs.txt"), docs.join("\n\n") + "\n");
    const out = python([
      repoPath("scripts", "lm", "train_lm.py"), "--tokenizer", repoPath("model", "nlswork", "tokenizer.json"), "--train", "docs.txt",
      "--valid", "docs.txt", "--out", "tiny.pt", "--d-model", "16", "--n-layer", "1", "--n-head", "1", "--max-len", "64",
      "--epochs", "1", "--batch-tokens", "256", "--device", "cpu",
    ]);
    const summary = JSON.parse(out.trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({ device: "cpu", steps: expect.any(Number), tokens: expect.any(Number), seconds: expect.any(Number) });
    expect(summary.steps).toBeGreaterThan(0);
    expect(summary.tokens).toBeGreaterThan(0);
    expect(summary.seconds).toBeGreaterThanOrEqual(0);

    // No map_location: a tensor saved from a GPU would come back on the GPU (or fail here without one).
    const devices = python(["-c", `
import json, torch
ckpt = torch.load("tiny.pt")
print(json.dumps(sorted({t.device.type for t in ckpt["model"].values()})))`]);
    expect(JSON.parse(devices)).toEqual(["cpu"]);
  });

  it("--dropout: the network's from scratch; a fine-tuning keeps its --init checkpoint's unless given its own", () => {
    const train = (out: string, extra: string[]) =>
      python([
        repoPath("scripts", "lm", "train_lm.py"), "--tokenizer", repoPath("model", "nlswork", "tokenizer.json"), "--train", "docs.txt",
        "--valid", "docs.txt", "--out", out, "--d-model", "16", "--n-layer", "1", "--n-head", "1", "--max-len", "64",
        "--epochs", "1", "--batch-tokens", "256", "--device", "cpu", ...extra,
      ]);
    const dropoutOf = (file: string) =>
      JSON.parse(python(["-c", `import json, torch\nprint(json.dumps(torch.load(${JSON.stringify(file)})["config"]["dropout"]))`]));
    train("dropout.pt", ["--dropout", "0.2"]);
    expect(dropoutOf("dropout.pt")).toBe(0.2);
    train("inherits.pt", ["--init", "dropout.pt"]);
    expect(dropoutOf("inherits.pt")).toBe(0.2);
    train("own.pt", ["--init", "dropout.pt", "--dropout", "0"]);
    expect(dropoutOf("own.pt")).toBe(0);
    // The layers follow the configuration: in training mode the network at 0 is deterministic, at 0.2 not.
    const r = JSON.parse(python(["-c", `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from model import GPT
x = torch.tensor([[1, 2, 3, 4]])
out = {}
for name in ("dropout.pt", "own.pt"):
    model = GPT.from_checkpoint(torch.load(name)).train()
    out[name] = bool(torch.equal(model(x), model(x)))
print(json.dumps(out))`]));
    expect(r).toEqual({ "dropout.pt": false, "own.pt": true });
  });

  it("auto picks CUDA only when PyTorch sees it; the CPU never autocasts", () => {
    const out = python(["-c", `
import contextlib, json, sys, torch
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from device import autocast, pick_device
cpu = pick_device("cpu")
print(json.dumps({"auto": pick_device("auto").type, "cuda": torch.cuda.is_available(),
                  "cpu": cpu.type, "cpu_autocast": isinstance(autocast(cpu), contextlib.nullcontext)}))`]);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ auto: r.cuda ? "cuda" : "cpu", cpu: "cpu", cpu_autocast: true });
  });
});

describe("GPT checkpoints", () => {
  it("one written before the label head went (n_labels, lm_head in its config) still loads; one with a label head is refused by name", () => {
    const out = python(["-c", `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(repoPath("scripts", "lm"))})
from model import GPT, GPTConfig
model = GPT(GPTConfig(vocab_size=50, max_len=16, n_layer=1, n_head=1, d_model=8))
old = {"config": {**model.cfg.to_dict(), "n_labels": 0, "lm_head": True}, "model": model.state_dict()}
loaded = GPT.from_checkpoint(old)
same = all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), loaded.state_dict().values()))
try:
    GPT.from_checkpoint({**old, "config": {**old["config"], "n_labels": 13, "lm_head": False}})
    refused = ""
except ValueError as e:
    refused = str(e)
print(json.dumps({"same": same, "logits": list(loaded(torch.tensor([[1, 2, 3]])).shape), "refused": refused}))`]);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ same: true, logits: [1, 3, 50] });
    expect(r.refused).toContain("label head");
  });
});

describe("scripts/gpu/run_stage.py", () => {
  it("keys a stage exactly as StageRunner does, and marks it done so that the Node build skips it", () => {
    const input = path.join(work, "input.txt");
    writeFileSync(input, "some input\n");
    const params = { p: { epochs: 1, lr: 0.003 }, shape: { dModel: 32 }, name: "x'y" };
    const build = path.join(work, "build");
    mkdirSync(build);
    const out = path.join(build, "copy.txt");
    const run = python([repoPath("scripts", "gpu", "run_stage.py"), build, "copy", "copy", JSON.stringify(params), "--inputs", input, "--outputs", out,
      "--", pythonExecutable(), "-c", `import shutil; shutil.copy(${JSON.stringify(input)}, ${JSON.stringify(out)}); print('{"ok": 1}')`]);
    expect(run).toMatch(/copy: done in/);
    const marker = JSON.parse(readFileSync(path.join(build, "copy.stage.json"), "utf8"));
    expect(marker.key).toBe(stageKey({ params, inputs: [input] }));
    expect(readFileSync(path.join(build, "copy.log"), "utf8")).toBe('{"ok": 1}\n');
    // A second run finds it up to date.
    expect(python([repoPath("scripts", "gpu", "run_stage.py"), build, "copy", "copy", JSON.stringify(params), "--inputs", input, "--outputs", out, "--", "false"])).toMatch(/copy: up to date/);
  });
});
