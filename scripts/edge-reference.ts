// npm run edge-reference: the Worker tests' reference cases. For every shipped model whose small model the edge serves,
// the questions behind its PyTorch reference outputs (small-reference.json, written at export from the
// first test people, each naming its person and years) as API requests, with the probabilities PyTorch computed. The Worker cannot read the
// panel, so they are written to test/worker/fixtures/; test/unit/edge-reference.test.ts keeps them current.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { PredictRequestInput } from "../core/contract.ts";
import { servesSmallModel, type ModelManifest } from "../core/model-artifact.ts";
import { limitPeople, loadDataset } from "./datasets.ts";
import { repoPath } from "./lib/paths.ts";
import { splitCareers } from "./lib/splits.ts";
import { panelFingerprint } from "./panel/panel-csv.ts";

export interface ReferenceCase {
  request: PredictRequestInput;
  /** P(label) in labels.json order, from PyTorch at export. */
  probs: number[];
}

/** A small model's reference output (export_onnx.py career): its inputs, by test person id. */
interface CareerReference {
  id: string;
  states: number[];
  next_years: number[];
  probs: number[];
}

export const REFERENCE_FILE = repoPath("test", "worker", "fixtures", "reference-requests.json");

export async function referenceCases(): Promise<Record<string, ReferenceCase[]>> {
  const out: Record<string, ReferenceCase[]> = {};
  for (const name of readdirSync(repoPath("model")).sort()) {
    if (!existsSync(repoPath("model", name, "manifest.json"))) continue; // a build under way
    const read = (file: string) => readFileSync(repoPath("model", name, file), "utf8");
    const manifest: ModelManifest = JSON.parse(read("manifest.json"));
    // A small model the edge does not serve (its build chose the baseline) is never run in the Worker.
    if (!manifest.language_models || !servesSmallModel(manifest)) continue;
    const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
    const fingerprint = await panelFingerprint(dataset.panel);
    if (fingerprint !== manifest.data.fingerprint) throw new Error(`model ${name}: the ${manifest.data.dataset} panel here is not the one it was trained on`);
    const test = splitCareers(dataset.panel.source, dataset.panel.careers).test;
    // Each reference is one question: a test person's first years (by id), asked for next_years' last.
    const examples: CareerReference[] = JSON.parse(read("small-reference.json")).examples;
    out[name] = examples.map((example) => {
      const career = test.find((c) => c.id === example.id)!;
      const history = career.history.slice(0, example.states.length);
      return { request: { model: name, history, person: career.person, next_year: example.next_years.at(-1)!, full_distribution: true }, probs: example.probs };
    });
  }
  return out;
}

export const referenceJson = async (): Promise<string> => JSON.stringify(await referenceCases()) + "\n";

if (import.meta.main) {
  writeFileSync(REFERENCE_FILE, await referenceJson());
  console.log(`wrote ${REFERENCE_FILE}`);
}
