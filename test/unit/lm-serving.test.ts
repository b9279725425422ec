// The TypeScript serving path answers exactly what the Python training path computed for the same person.
// The small model's inputs come from core/career-steps.ts; its reference outputs were written at export from
// the first test people. The large model's from the resume text through @huggingface/tokenizers, normalised
// over the labels. Every shipped model folder.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Career } from "../../core/career.ts";
import { careerSteps } from "../../core/career-steps.ts";
import { LargeModel } from "../../core/large-model.ts";
import type { LabelsFile, ModelManifest } from "../../core/model-artifact.ts";
import { CareerInput, SmallModel } from "../../core/small-model.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { limitPeople, loadDataset } from "../../scripts/datasets.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { splitCareers } from "../../scripts/lib/splits.ts";
import { nodeRuntime } from "../../scripts/lib/ort-node.ts";

const MODELS = readdirSync(repoPath("model")).filter((name) => {
  try {
    return Boolean(JSON.parse(readFileSync(repoPath("model", name, "manifest.json"), "utf8")).language_models);
  } catch {
    return false;
  }
});

/** A shipped model folder, with the test people of the panel it was trained on. */
async function folder(name: string) {
  const dir = repoPath("model", name);
  const read = (file: string) => readFileSync(path.join(dir, file), "utf8");
  const manifest: ModelManifest = JSON.parse(read("manifest.json"));
  const labelsFile: LabelsFile = JSON.parse(read("labels.json"));
  const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
  const test = splitCareers(dataset.panel.source, dataset.panel.careers).test;
  return { dir, read, manifest, lm: manifest.language_models!, labels: new LabelSet(labelsFile.taxonomy, labelsFile.labels), test };
}

/** The question at year line `line` (0-based) of a career: the years before it, asked for its year (or for
 *  `nextYear`). */
const question = (c: Career, line: number, nextYear = c.history[line]!.year) => ({ person: c.person, history: c.history.slice(0, line), nextYear });

describe.each(MODELS)("model/%s served from TypeScript", (name) => {
  it("small model: the same inputs and the same distribution as PyTorch for the same person", async () => {
    const { dir, read, lm, labels, test } = await folder(name);
    const runtime = await nodeRuntime(path.join(dir, lm.small.file));
    const { examples } = JSON.parse(read("small-reference.json"));
    expect(examples.length).toBeGreaterThan(0);
    const small = new SmallModel(runtime, labels, new CareerInput(labels, lm.small.max_tokens));
    for (const ref of examples as { id: string; states: number[]; years: number[]; education: number[]; next_years: number[]; person: number[]; probs: number[] }[]) {
      const career = test.find((c) => c.id === ref.id)!;
      const ctx = question(career, ref.states.length, ref.next_years.at(-1));
      const { states, years, education, next_years, person } = careerSteps(ctx.person, ctx.history, labels, ctx.nextYear);
      expect({ states, years, education, next_years, person }).toEqual({ states: ref.states, years: ref.years, education: ref.education, next_years: ref.next_years, person: ref.person });
      const probs = await small.predict(ctx);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      ref.probs.forEach((p, i) => expect(probs[i]).toBeCloseTo(p, 4));
    }
  });

  it("large model: the normalised continuation probabilities PyTorch computed, and the mass outside the labels", async () => {
    const { dir, read, manifest, lm, labels, test } = await folder(name);
    const large = new LargeModel(await nodeRuntime(path.join(dir, lm.large.file)), loadTokenizer(JSON.parse(read(lm.tokenizer))), labels, manifest.source, lm.large.max_tokens);
    const [, first] = JSON.parse(read("large-reference.json")).examples as { prompt_ids: number[]; logp: number[] }[];
    const answer = await large.predict(question(test[0]!, 1));
    const max = Math.max(...first!.logp);
    const expected = first!.logp.map((v) => Math.exp(v - max));
    const sum = expected.reduce((a, b) => a + b, 0);
    expected.forEach((p, i) => expect(answer.probs[i]).toBeCloseTo(p / sum, 4));
    expect(answer.outsideMass).toBeCloseTo(1 - sum * Math.exp(max), 4);
    expect(answer.outsideMass).toBeGreaterThanOrEqual(0);
    expect(answer.outsideMass).toBeLessThan(0.9);
  });
});
