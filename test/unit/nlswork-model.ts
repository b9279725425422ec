// The shipped nlswork model folder as the Node tests read it: its files, manifest, labels, tokenizer, and
// its ONNX files through onnxruntime-node.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ModelManifest } from "../../core/model-artifact.ts";
import type { OrtRuntime } from "../../core/small-model.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { loadTokenizer } from "../../core/tokenizer.ts";
import { nodeRuntime } from "../../scripts/lib/ort-node.ts";

const dir = new URL("../../model/nlswork", import.meta.url).pathname;
export const read = (name: string): string => readFileSync(path.join(dir, name), "utf8");
export const manifest: ModelManifest = JSON.parse(read("manifest.json"));
export const lm = manifest.language_models!;
export const labels = LabelSet.of("nlswork");
export const tokenizer = loadTokenizer(JSON.parse(read(lm.tokenizer)));
export const runtime = (file: string): Promise<OrtRuntime> => nodeRuntime(path.join(dir, file));
