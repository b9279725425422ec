// The TypeScript serving path (resume text -> @huggingface/tokenizers -> ONNX through core/small-model.ts
// and core/large-model.ts) answers exactly what the Python training path computed for the same person:
// the reference outputs written at export come from the first test people's resumes, encoded in Python.
import { describe, expect, it } from "vitest";
import { LargeModel } from "../../core/large-model.ts";
import { SmallModel, TokenInput } from "../../core/small-model.ts";
import { splitCareers } from "../../scripts/lib/splits.ts";
import { readNlswork } from "../../scripts/panel/nlswork.ts";
import { labels, lm, manifest, read, runtime, tokenizer } from "./nlswork-model.ts";

const testPeople = splitCareers("nlswork", readNlswork().careers).test;
/** The question at year line `line` (0-based) of a career: the years before it, asked for its year. */
const question = (careerIndex: number, line: number) => {
  const c = testPeople[careerIndex]!;
  return { person: c.person, history: c.history.slice(0, line), nextYear: c.history[line]!.year };
};

describe("language models served from TypeScript", () => {
  it("small model: the same token ids and the same distribution as PyTorch for the same person", async () => {
    const input = new TokenInput(tokenizer, labels, manifest.source, lm.small.max_tokens);
    const small = new SmallModel(await runtime(lm.small.file), labels, input);
    const ref: { input_ids: number[]; positions: number[]; probs: number[][] } = JSON.parse(read("small-reference.json")).examples[0];
    for (const line of [1, 2]) {
      const ctx = question(0, line);
      expect(input.promptIds(ctx)).toEqual(ref.input_ids.slice(0, ref.positions[line]! + 1));
      const probs = await small.predict(ctx);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      ref.probs[line]!.forEach((p, i) => expect(probs[i]).toBeCloseTo(p, 4));
    }
  });

  it("large model: the normalised continuation probabilities PyTorch computed, and the mass outside the labels", async () => {
    const large = new LargeModel(await runtime(lm.large.file), tokenizer, labels, manifest.source, lm.large.max_tokens);
    const [, first] = JSON.parse(read("large-reference.json")).examples as { prompt_ids: number[]; logp: number[] }[];
    const answer = await large.predict(question(0, 1));
    const max = Math.max(...first!.logp);
    const expected = first!.logp.map((v) => Math.exp(v - max));
    const sum = expected.reduce((a, b) => a + b, 0);
    expected.forEach((p, i) => expect(answer.probs[i]).toBeCloseTo(p / sum, 4));
    expect(answer.outsideMass).toBeCloseTo(1 - sum * Math.exp(max), 4);
    expect(answer.outsideMass).toBeGreaterThanOrEqual(0);
    expect(answer.outsideMass).toBeLessThan(0.5);
  });
});
