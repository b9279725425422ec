// The model pipeline stays alive: `npm run build:model -- --smoke` runs every stage (corpus, tokenizer,
// foundation, fine-tuning and variants, teacher scoring, the career model distilled and calibrated, ONNX export,
// the large model calibrated, evaluation, manifest) at toy size, as a user would run it; a second run finds every stage up to date.
// A panel coded in a code list of its own (`--labels`) builds too (sharing the foundation stages), and the
// Worker (`wrangler dev`) serves the folder with the user's codes and titles.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ModelsResponseSchema, OccupationsResponseSchema, PredictResponseSchema } from "../../core/contract.ts";
import type { LabelsFile, ModelManifest } from "../../core/model-artifact.ts";
import { CareerInput, SmallModel } from "../../core/small-model.ts";
import { LabelSet } from "../../core/taxonomy.ts";
import { folderWorkerArgs } from "../../scripts/lib/folder-worker.ts";
import { nodeRuntime } from "../../scripts/lib/ort-node.ts";
import { startWranglerDev } from "../../scripts/lib/wrangler-dev.ts";

const repo = new URL("../..", import.meta.url).pathname;
const work = mkdtempSync(path.join(tmpdir(), "build-smoke-"));
const [outDir, buildDir] = [path.join(work, "model"), path.join(work, "build")];
afterAll(() => rmSync(work, { recursive: true, force: true }));

function buildModel(extra: string[] = ["--dataset", "nlswork", "--out", outDir]): { stdout: string; stderr: string } {
  const args = ["run", "build:model", "--", ...extra, "--smoke", "--build-dir", buildDir];
  const run = spawnSync("npm", args, { cwd: repo, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`build:model failed (${run.status}):\n${run.stderr.slice(-3000)}`);
  return run;
}

describe("npm run build:model -- --smoke", () => {
  it("builds every stage into a model folder whose manifest matches its files", async () => {
    const { stdout } = buildModel();
    const manifest: ModelManifest = JSON.parse(readFileSync(path.join(outDir, "manifest.json"), "utf8"));
    for (const [name, { sha256, bytes }] of Object.entries(manifest.files)) {
      const content = readFileSync(path.join(outDir, name));
      expect(content.byteLength, name).toBe(bytes);
      expect(createHash("sha256").update(content).digest("hex"), name).toBe(sha256);
    }
    expect(Object.keys(manifest.files).sort()).toEqual(
      ["labels.json", "large-reference.json", "large.onnx", "predictor.json", "small-reference.json", "small.onnx", "tokenizer.json"],
    );
    for (const model of ["frequency", "markov", "ngram", "logit", "large", "small (edge)", "large (panel only)", "large (codes)"]) {
      expect(manifest.metrics[model], model).toBeDefined();
      expect(manifest.metrics[model]!.perplexity).toBeGreaterThan(1);
    }
    expect(stdout).toMatch(/\| small \(edge\) \|/);
    // The large model's calibration, fitted on the validation people, is what the origin will apply.
    // (its map of P(stay) is Platt scaling, or piecewise with as many slopes as knots where those won).
    const calibration = manifest.language_models!.large.calibration!;
    expect(calibration).toMatchObject({ temperature: expect.any(Number), stay_scale: expect.any(Number), stay_shift: expect.any(Number), move_temperature: expect.any(Number) });
    expect(calibration.stay_slopes?.length).toBe(calibration.stay_knots?.length);
    // The edge model's, baked into small.onnx, is of the same kind and recorded beside it.
    const stayMove = manifest.language_models!.small.stay_move!;
    expect(stayMove).toMatchObject({ stay_scale: expect.any(Number), stay_shift: expect.any(Number), move_temperature: expect.any(Number) });
    expect(stayMove.stay_slopes?.length).toBe(stayMove.stay_knots?.length);

    // The exported small model answers through the same class the edge uses.
    const labels = LabelSet.of("nlswork");
    const lm = manifest.language_models!;
    expect(lm.small.input).toBe("career");
    const small = new SmallModel(await nodeRuntime(path.join(outDir, lm.small.file)), labels, new CareerInput(labels, lm.small.max_tokens));
    const probs = await small.predict({ person: { birth_year: 1950 }, history: [{ year: 1970, occupation: "3" }, { year: 1972, occupation: "4" }], nextYear: 1974 });
    expect(probs).toHaveLength(labels.size);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  }, 600_000);

  it("resumes: a second run finds every stage up to date and writes the same model", () => {
    const before = readFileSync(path.join(outDir, "manifest.json"), "utf8");
    const { stderr } = buildModel();
    const stagesRun = stderr.split("\n").filter((l) => / done in /.test(l));
    expect(stagesRun).toEqual([]);
    expect(stderr).toMatch(/nlswork-small: up to date/);
    expect(stderr).toMatch(/foundation: up to date/);
    expect(readFileSync(path.join(outDir, "manifest.json"), "utf8")).toBe(before);
  }, 300_000);

  it("builds a panel coded in its own code list (--labels), which the Worker serves with its codes and titles", async () => {
    // A made-up company's job families (test/fixtures/panels/make-acme.ts): 550 person-years, two rows refused.
    const fixture = (f: string) => path.join(repo, "test", "fixtures", "panels", f);
    const root = path.join(work, "own");
    const acmeDir = path.join(root, "model", "acme");
    const { stderr } = buildModel(["--dataset", "acme", "--panel", fixture("acme-panel.csv"), "--labels", fixture("acme-labels.csv"), "--out", acmeDir]);
    expect(stderr).toMatch(/foundation: up to date/); // the foundation of the nlswork build serves any panel

    const labelsFile: LabelsFile = JSON.parse(readFileSync(path.join(acmeDir, "labels.json"), "utf8"));
    expect(labelsFile.taxonomy).toBe("custom:acme");
    expect(labelsFile.labels.slice(0, 2)).toEqual([{ code: "ENG1", title: "Software engineer" }, { code: "ENG2", title: "Senior software engineer" }]);
    // Special states after the occupations, in the project's order: the list's own codes, and UNEMP as is.
    expect(labelsFile.labels.slice(-3)).toEqual([
      { code: "STUDY", title: "Full-time study", special: "EDU" },
      { code: "UNEMP", title: "Unemployed" },
      { code: "LEAVE", title: "Career break", special: "NILF" },
    ]);
    const manifest: ModelManifest = JSON.parse(readFileSync(path.join(acmeDir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "acme", taxonomy: "custom:acme", data: { people: 90, person_years: 550 } });
    expect(manifest.metrics["small (edge)"]!.n).toBeGreaterThan(0);
    // The edge serves the small model only where it beat the best baseline on the validation people: on 90
    // people and a toy-sized network, whichever won is what the Worker must answer with.
    const { served, selection } = manifest.language_models!.small;
    expect(selection!.baseline).toBe(manifest.kind.replace(/^baseline:/, ""));
    expect(served).toBe(selection!.small_validation_nll <= selection!.baseline_validation_nll);
    const engine = served ? "small" : manifest.kind;

    const dev = await startWranglerDev({
      args: [...folderWorkerArgs(work, { acme: acmeDir }), "--persist-to", path.join(work, "state"), "--var", "ORIGIN_URL:", "--var", "WARMUP_POLICY:wait"],
    });
    try {
      const models = ModelsResponseSchema.parse(await (await fetch(`${dev.base}/v1/models`)).json());
      expect(models.models).toEqual([expect.objectContaining({ name: "acme", available: true, taxonomy: "custom:acme", labels: 17, special_states: ["STUDY", "UNEMP", "LEAVE"], engine })]);
      const occupations = OccupationsResponseSchema.parse(await (await fetch(`${dev.base}/v1/occupations?model=acme`)).json());
      expect(occupations.occupations.map((o) => o.code)).toEqual(labelsFile.labels.map((l) => l.code));
      expect(occupations.occupations.find((o) => o.code === "LEAVE")).toEqual({ code: "LEAVE", title: "Career break", special_state: true });

      const res = await fetch(`${dev.base}/v1/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "acme", history: [{ year: 2015, occupation: "ENG1" }, { year: 2016, occupation: "ENG2" }, { year: 2017, occupation: "LEAVE" }], top_k: 3, full_distribution: true }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const answer = PredictResponseSchema.parse(await res.json());
      expect(answer).toMatchObject({ model: "acme", served_by: "edge", next_year: 2018 });
      expect(answer.engine.startsWith(engine), `${answer.engine} is not ${engine}`).toBe(true); // baseline:ngram answers as baseline:ngram-N
      expect(answer.degraded).toBeUndefined(); // the chosen engine, not a fallback
      const titles = new Map(labelsFile.labels.map((l) => [l.code, l.title]));
      for (const p of answer.predictions) expect(p.title).toBe(titles.get(p.code));
      expect(Object.keys(answer.distribution!)).toEqual([...titles.keys()]);
      expect(answer.p_exit_labor_force).toBe(answer.distribution!["LEAVE"]);
    } finally {
      await dev.stop();
    }
  }, 300_000);
});
