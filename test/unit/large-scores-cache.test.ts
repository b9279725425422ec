// The large model's scores through its ONNX file (scripts/eval/lm-scorers.ts largeModelScores): written once
// per model and questions, and a run stopped part way (a session's end) goes on from its last whole row, the
// rows already scored kept as they are and a row cut off mid-write scored again.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ModelManifest } from "../../core/model-artifact.ts";
import { loadDataset } from "../../scripts/datasets.ts";
import { prepare } from "../../scripts/eval/evaluate.ts";
import { languageModelFiles, largeModelScores } from "../../scripts/eval/lm-scorers.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const work = mkdtempSync(path.join(tmpdir(), "large-scores-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const dir = repoPath("model", "nlswork");
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const files = languageModelFiles(dir, manifest);

describe("largeModelScores", () => {
  it("writes the scores once; a stopped run goes on from its last whole row", async () => {
    const { labels, examples } = prepare(await loadDataset({ dataset: "nlswork" }));
    const questions = examples.test.slice(0, 23);
    const full = await largeModelScores(files, labels, questions, path.join(work, "a"));
    const rows = readFileSync(full, "utf8").trim().split("\n");
    expect(rows).toHaveLength(23);
    expect(await largeModelScores(files, labels, questions, path.join(work, "a"))).toBe(full); // read back, not scored again

    // A run stopped after 8 rows and part of the 9th: the rows kept are marked, so that rescoring would show.
    const resumed = path.join(work, "b");
    mkdirSync(resumed);
    const marked = rows.slice(0, 8).map((r) => JSON.stringify({ ...JSON.parse(r), outside_mass: 0.123 }));
    writeFileSync(path.join(resumed, `${path.basename(full)}.partial`), marked.join("\n") + "\n" + rows[8]!.slice(0, 40));
    const file = await largeModelScores(files, labels, questions, resumed);
    expect(path.basename(file)).toBe(path.basename(full));
    expect(readFileSync(file, "utf8").trim().split("\n")).toEqual([...marked, ...rows.slice(8)]);
    expect(readdirSync(resumed)).toEqual([path.basename(full)]); // the partial file became the cache
  }, 120_000);
});
