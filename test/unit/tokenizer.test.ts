// The tokenizer trained in Python (scripts/lm/bpe.py, standard library only) and served in TypeScript
// (core/tokenizer.ts over @huggingface/tokenizers) turn the same text into the same ids; the prompt of
// core/resume.ts ends at a token boundary for every label; Python's decode gives the text back.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "@huggingface/tokenizers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonExecutable } from "../../scripts/build/python.ts";
import type { Career } from "../../core/career.ts";
import { continuationText, END_MARKER, renderPrompt, renderResume, type Rendering } from "../../core/resume.ts";
import { LabelSet, SPECIAL_STATES, type TaxonomyId } from "../../core/taxonomy.ts";
import { codeTokens, loadTokenizer, PAD_TOKEN, type ResumeTokenizer } from "../../core/tokenizer.ts";
import { loadDataset } from "../../scripts/datasets.ts";
import { splitCareers } from "../../scripts/lib/splits.ts";
import { panelLabels } from "../../scripts/panel/panel-labels.ts";

const PYTHON = pythonExecutable();
const BPE = fileURLToPath(new URL("../../scripts/lm/bpe.py", import.meta.url));
const RENDERINGS: Rendering[] = ["titles", "codes"];
const ALL_SPECIALS = SPECIAL_STATES.map((s) => s.code);

function python(args: string[]): string {
  return execFileSync(PYTHON, [BPE, ...args], { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] });
}

/** Ids of every text, computed by the Python encoder (one call). */
function pythonEncode(tokenizerFile: string, texts: readonly string[], dir: string): number[][] {
  const input = path.join(dir, "texts.jsonl");
  writeFileSync(input, texts.map((t) => JSON.stringify(t) + "\n").join(""));
  return python(["encode", "--tokenizer", tokenizerFile, "--jsonl", input]).trimEnd().split("\n").map((l) => JSON.parse(l) as number[]);
}

function pythonPieces(tokenizerFile: string, texts: readonly string[], dir: string): string[][] {
  const input = path.join(dir, "pieces.jsonl");
  writeFileSync(input, texts.map((t) => JSON.stringify(t) + "\n").join(""));
  return python(["encode", "--tokenizer", tokenizerFile, "--jsonl", "--pieces", input]).trimEnd().split("\n").map((l) => JSON.parse(l) as string[]);
}

function pythonDecode(tokenizerFile: string, ids: readonly number[][], dir: string): string[] {
  const input = path.join(dir, "ids.jsonl");
  writeFileSync(input, ids.map((x) => JSON.stringify(x) + "\n").join(""));
  return python(["decode", "--tokenizer", tokenizerFile, input]).trimEnd().split("\n").map((l) => JSON.parse(l) as string);
}

interface Source {
  source: string;
  labels: LabelSet;
  train: Career[];
  test: Career[];
}

async function source(dataset: "nlswork" | "synthetic"): Promise<Source> {
  const { panel } = await loadDataset({ dataset, people: 1500, seed: 1 });
  const split = splitCareers(panel.source, panel.careers);
  return { source: panel.source, labels: panelLabels(panel), train: split.train.slice(0, 1000), test: split.test };
}

/** Every label of a taxonomy plus all special states: the continuations a model scores. */
function fullLabels(taxonomy: TaxonomyId): LabelSet {
  return LabelSet.of(taxonomy, ALL_SPECIALS);
}

const ODD = [
  "",
  "Café – naïve 日本 🚀",
  "e\u0301 \u00a0non-breaking\u00a0space \u3000ideographic\u2028line\u2029para \u0085next",
  " ".repeat(300),
  "\n\n\n\t\t  \r\n  x   \n",
  "   leading and trailing   ",
  "a<END>b<pad><END><END>",
  "<EN<END>D> <END <nlswork:3><state:NILF><occ1990dd:22>",
  "1980:1981: 2000:: :\n:\n",
  "ALL CAPS, digits 0123456789 and 12ab34 and O'Neil's co-op (n.e.c.)",
  "\u0000\u0001\u007f\u00ff control",
  "lone \ud800 surrogate \udfff",
  "emoji 👩‍🔬👩🏽‍🚀 flags 🇫🇷",
];

describe("resume tokenizer: Python training, TypeScript serving", () => {
  let dir: string;
  let tokenizerFile: string;
  let ts: ResumeTokenizer;
  let nlswork: Source;
  let synthetic: Source;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tokenizer-test-"));
    [nlswork, synthetic] = [await source("nlswork"), await source("synthetic")];
    const corpora: string[] = [];
    for (const s of [nlswork, synthetic]) {
      for (const rendering of RENDERINGS) {
        const file = path.join(dir, `${s.source}-${rendering}.txt`);
        writeFileSync(file, s.train.map((c) => renderResume(s.source, c, s.labels, { rendering })).join("\n"));
        corpora.push(file);
      }
    }
    const codesFile = path.join(dir, "codes.txt");
    writeFileSync(codesFile, [...codeTokens(fullLabels("nlswork")), ...codeTokens(fullLabels("occ1990dd"))].join("\n") + "\n");
    tokenizerFile = path.join(dir, "tokenizer.json");
    python(["train", "--vocab-size", "2048", "--out", tokenizerFile, "--code-tokens", codesFile, ...corpora]);
    ts = loadTokenizer(JSON.parse(readFileSync(tokenizerFile, "utf8")));
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes a Hugging Face tokenizer.json with one id per added token", () => {
    const json = JSON.parse(readFileSync(tokenizerFile, "utf8"));
    expect(json.version).toBe("1.0");
    expect(json.model.type).toBe("BPE");
    expect(json.pre_tokenizer.pretokenizers.map((p: { type: string }) => p.type)).toEqual(["Split", "ByteLevel"]);
    expect(json.added_tokens[0]).toMatchObject({ id: 0, content: PAD_TOKEN, special: true });
    expect(json.added_tokens[1]).toMatchObject({ id: 1, content: END_MARKER, special: true });
    const maxId = Math.max(...(Object.values(json.model.vocab) as number[]));
    expect(maxId).toBeLessThan(2048);
    expect(Object.keys(json.model.vocab)).toHaveLength(maxId + 1);
    for (const token of [...codeTokens(fullLabels("nlswork")), ...codeTokens(fullLabels("occ1990dd")), END_MARKER, PAD_TOKEN]) {
      const id = ts.tokenId(token);
      expect(id, token).toBeTypeOf("number");
      expect(ts.encode(token)).toEqual([id]);
    }
  });

  it("encodes resumes, prompts, continuations and odd text to the same ids in Python and TypeScript", () => {
    const texts: string[] = [...ODD];
    for (const s of [nlswork, synthetic]) {
      for (const rendering of RENDERINGS) {
        const tests = s === nlswork ? s.test : s.test.slice(0, 100);
        for (const c of tests) texts.push(renderResume(s.source, c, s.labels, { rendering }));
        for (const c of tests.slice(0, 60)) {
          c.history.forEach((h, k) => texts.push(renderPrompt(s.source, { person: c.person, history: c.history.slice(0, k) }, s.labels, h.year, rendering)));
        }
        for (const code of fullLabels(s.labels.builtIn!).codes) texts.push(continuationText(fullLabels(s.labels.builtIn!), code, rendering));
      }
    }
    const py = pythonEncode(tokenizerFile, texts, dir);
    expect(py).toHaveLength(texts.length);
    let mismatches = 0;
    texts.forEach((text, i) => {
      const js = ts.encode(text);
      if (JSON.stringify(js) !== JSON.stringify(py[i])) {
        mismatches++;
        if (mismatches <= 5) expect(js, JSON.stringify(text)).toEqual(py[i]);
      }
    });
    expect(mismatches).toBe(0);

    // The pre-tokenization itself (Split regex + ByteLevel) agrees, also where no merge would show a difference.
    const hf = new Tokenizer(JSON.parse(readFileSync(tokenizerFile, "utf8")), { clean_up_tokenization_spaces: false });
    const jsPieces = (text: string) =>
      text.split(/(<[^<>\s]*>)/).flatMap((part, i) => (i % 2 === 1 ? [part] : part ? hf.pre_tokenizer!.pre_tokenize(part) : []));
    const piecesPy = pythonPieces(tokenizerFile, texts, dir);
    // Texts with an unknown <...> token are split differently by design; every resume and prompt has none.
    const known = (text: string) => (text.match(/<[^<>\s]*>/g) ?? []).every((t) => ts.tokenId(t) !== undefined);
    const comparable = texts.filter(known);
    expect(comparable.length).toBeGreaterThan(texts.length - ODD.length);
    texts.forEach((text, i) => {
      if (known(text)) expect(jsPieces(text), JSON.stringify(text)).toEqual(piecesPy[i]);
    });

    // decode(encode(x)) == x, in Python and in TypeScript (a lone surrogate has no UTF-8 form: U+FFFD).
    const back = pythonDecode(tokenizerFile, py.filter((ids) => ids.length > 0), dir);
    const expected = texts.filter((_, i) => py[i]!.length > 0).map((t) => t.toWellFormed());
    expect(back).toEqual(expected);
    expect(texts.filter((_, i) => py[i]!.length > 0).map((t) => ts.decode(ts.encode(t)))).toEqual(expected);
    expect(ts.decode([])).toBe("");
  });

  it("keeps the prompt/continuation boundary a token boundary for every label (both renderings, Python and TS)", () => {
    const cases: { prompt: string; continuation: string }[] = [];
    for (const s of [nlswork, synthetic]) {
      const labels = fullLabels(s.labels.builtIn!);
      for (const rendering of RENDERINGS) {
        for (const c of s.test.slice(0, 3)) {
          const k = Math.min(2, c.history.length - 1);
          const prompt = renderPrompt(s.source, { person: c.person, history: c.history.slice(0, k) }, s.labels, c.history[k]!.year, rendering);
          for (const code of labels.codes) cases.push({ prompt, continuation: continuationText(labels, code, rendering) });
        }
      }
    }
    const texts = cases.flatMap((c) => [c.prompt, c.continuation, c.prompt + c.continuation]);
    const py = pythonEncode(tokenizerFile, texts, dir);
    cases.forEach((c, i) => {
      const [p, q, pq] = [py[3 * i]!, py[3 * i + 1]!, py[3 * i + 2]!];
      expect([...p, ...q], JSON.stringify(c.continuation)).toEqual(pq);
      expect([...ts.encode(c.prompt), ...ts.encode(c.continuation)]).toEqual(ts.encode(c.prompt + c.continuation));
    });
    expect(cases).toHaveLength(RENDERINGS.length * 3 * (fullLabels("nlswork").size + fullLabels("occ1990dd").size));
  });

  it("encodes a resume line by line (year prompt, then the rest of the line) exactly as the whole text", () => {
    for (const s of [nlswork, synthetic]) {
      for (const rendering of RENDERINGS) {
        for (const c of s.test.slice(0, 50)) {
          const text = renderResume(s.source, c, s.labels, { rendering });
          const pieces = text
            .slice(0, -1)
            .split("\n")
            .flatMap((line) => {
              const m = /^(\d{4}:)(.*)$/.exec(line);
              return m ? [m[1]!, m[2]! + "\n"] : [line + "\n"];
            });
          expect(pieces.join("")).toBe(text);
          expect(pieces.flatMap((p) => ts.encode(p))).toEqual(ts.encode(text));
        }
      }
    }
  });

  it("trains deterministically", () => {
    const again = path.join(dir, "again.json");
    const corpus = path.join(dir, "synthetic-titles.txt");
    python(["train", "--vocab-size", "1000", "--out", again, corpus]);
    const first = readFileSync(again, "utf8");
    python(["train", "--vocab-size", "1000", "--out", again, corpus]);
    expect(readFileSync(again, "utf8")).toBe(first);
    expect(Object.keys(JSON.parse(first).model.vocab)).toHaveLength(1000);
  });
});
