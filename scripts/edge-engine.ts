// npm run edge-engine -- --dataset NAME [--model DIR]: which engine the edge serves for a model folder built before the build
// recorded it (build-model.ts chooses it for new builds). The small model and the baselines are scored on
// the validation people of the panel the folder was trained on; the small model is served only where its
// NLL there is at most the best baseline's, and the choice is written into the manifest
// (language_models.small.served and .selection), so that the edge never serves a small model worse than the
// baseline built on the same people.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ModelManifest } from "../core/model-artifact.ts";
import { limitPeople, loadDataset } from "./datasets.ts";
import { chooseEdgeEngine, describeEdgeEngine } from "./eval/edge-engine.ts";
import { evaluate } from "./eval/evaluate.ts";
import { languageModelFiles, smallModelScorer } from "./eval/lm-scorers.ts";
import { repoPath } from "./lib/paths.ts";
import { panelFingerprint } from "./panel/panel-csv.ts";

const { values } = parseArgs({ options: { dataset: { type: "string" }, model: { type: "string" } } });
if (!values.dataset) throw new Error("say which model: --dataset NAME (a folder of model/; --model DIR for another folder)");
const dir = values.model ?? repoPath("model", values.dataset);
const manifestFile = path.join(dir, "manifest.json");
const manifest: ModelManifest = JSON.parse(readFileSync(manifestFile, "utf8"));
if (!manifest.language_models) throw new Error(`model ${values.dataset} has no small model: its baseline answers`);
const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
if ((await panelFingerprint(dataset.panel)) !== manifest.data.fingerprint) throw new Error(`model ${values.dataset}: the panel here is not the one it was trained on`);

const log = (message: string) => console.error(message);
const files = languageModelFiles(dir, manifest);
const evaluation = await evaluate(dataset, log, (prepared, edgeBaseline) => [{ ...smallModelScorer(files, prepared.labels, edgeBaseline), validation: true }]);
Object.assign(manifest.language_models.small, chooseEdgeEngine(evaluation));
writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
console.log(`${dir}: ${describeEdgeEngine(manifest.language_models.small)}`);
