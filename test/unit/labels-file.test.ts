// A user's own code list (`--labels FILE`): read and checked, used to ingest a panel (a code it lacks is a
// refused row), turned into the model's label set (its codes, titles and special states), rendered in the
// resume text, and carried by labels.json into the loaders.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { changeProbability, exitLaborForceProbability } from "../../core/distribution.ts";
import { searchLabels } from "../../core/label-search.ts";
import { labelSetOf } from "../../core/load-model.ts";
import { ArtifactIntegrityError } from "../../core/model-artifact.ts";
import { codeToken, continuationText, renderResume } from "../../core/resume.ts";
import { isLabelSetId, LabelSet, type CodeList } from "../../core/taxonomy.ts";
import { datasetOptionsFromArgs, loadDataset } from "../../scripts/datasets.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { ingest } from "../../scripts/panel/ingest.ts";
import { LabelsFileError, readLabelsFile } from "../../scripts/panel/labels-file.ts";
import { panelLabels } from "../../scripts/panel/panel-labels.ts";
import { readPanelCsv } from "../../scripts/panel/panel-csv.ts";

const FIXTURES = repoPath("test", "fixtures", "panels");
const ACME_LABELS = path.join(FIXTURES, "acme-labels.csv");
const ACME_PANEL = path.join(FIXTURES, "acme-panel.csv");
const dir = mkdtempSync(path.join(tmpdir(), "labels-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function labelsFile(text: string): string {
  const file = path.join(dir, `labels-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  return file;
}

/** The problems readLabelsFile lists for a file, or [] when it reads. */
function problems(text: string): string {
  try {
    readLabelsFile(labelsFile(text), "t");
    return "";
  } catch (e) {
    expect(e).toBeInstanceOf(LabelsFileError);
    return (e as Error).message;
  }
}

const SMALL: CodeList = {
  id: "custom:small",
  labels: [
    { code: "A", title: "Analyst" },
    { code: "LEAVE", title: "Career break", special: "NILF" },
    { code: "B", title: "Buyer" },
  ],
};

describe("the code list file", () => {
  it("reads codes, titles and the special states it names with codes of its own", () => {
    const list = readLabelsFile(ACME_LABELS, "acme");
    expect(list.id).toBe("custom:acme");
    expect(list.labels).toHaveLength(16);
    expect(list.labels[0]).toEqual({ code: "ENG1", title: "Software engineer" });
    expect(list.labels.filter((l) => l.special)).toEqual([
      { code: "LEAVE", title: "Career break", special: "NILF" },
      { code: "STUDY", title: "Full-time study", special: "EDU" },
    ]);
    // The special column may be left out; a special state's own code retitles that state.
    expect(readLabelsFile(labelsFile("code,title\n1,Clerk\nNILF,Not working at all\n"), "x").labels).toEqual([
      { code: "1", title: "Clerk" },
      { code: "NILF", title: "Not working at all" },
    ]);
  });

  it("refuses a file that is not a usable code list, listing every problem with its line", () => {
    expect(problems("code,title,special\nA,Analyst,\nA,Auditor,\nB,Analyst,\n")).toMatch(
      /2 problems\):\n {2}line 3 code: "A" is already on line 2\n {2}line 4 title: "Analyst" is already on line 2/,
    );
    expect(problems("code,title,special\nA,Analyst,RETIRED\n")).toMatch(/line 2 special: "RETIRED" is not one of EDU, UNEMP, NILF/);
    expect(problems("code,title,special\nA,Analyst,\nL1,Leave,NILF\nL2,Long leave,NILF\n")).toMatch(/line 4 special: NILF is already named on line 3/);
    expect(problems("code,title,special\nA,Analyst,\nEDU,School,NILF\n")).toMatch(/line 3 special: code EDU is the special state EDU, not NILF/);
    expect(problems("code,title\nA B,Analyst\n<x>,X\n,Empty\nC,\n")).toMatch(/line 2 code: .*space.*\n.*line 3 code: .*< >.*\n.*line 4 code: empty\n.*line 5 title: empty/);
    expect(problems(`code,title\n${"x".repeat(33)},Long\n`)).toMatch(/longer than 32 characters/);
    expect(problems("code,title,special\nL,Leave,NILF\n")).toMatch(/no occupation/);
    expect(problems("code,title,special\nA,Analyst\n")).toMatch(/line 2 \(row\): 2 fields, the header has 3/);
    expect(() => readLabelsFile(labelsFile("code,title,kind\nA,Analyst,job\n"), "t")).toThrow(/kind/);
    expect(() => readLabelsFile(labelsFile("code\nA\n"), "t")).toThrow(/title/);
    expect(() => readLabelsFile(ACME_LABELS, "no spaces")).toThrow(/cannot name a code list/);
  });
});

describe("a panel in a code list of its own", () => {
  it("keeps the rows whose codes the list has (and the project's special states it does not rename), refusing the others", () => {
    const panel = readPanelCsv(ACME_PANEL, { source: "acme", taxonomy: readLabelsFile(ACME_LABELS, "acme") });
    expect(panel.taxonomy).toBe("custom:acme");
    expect(panel.report).toMatchObject({ rows: 552, kept: 550, refused: { "occupation not in taxonomy": 2 }, people: 90, personYears: 550 });
    expect(panel.report.issues.map((i) => [i.line, i.field])).toEqual([[552, "occupation"], [553, "occupation"]]);
    expect(panel.specialStates).toEqual(["STUDY", "UNEMP", "LEAVE"]);

    const labels = panelLabels(panel);
    expect(labels.taxonomy).toBe("custom:acme");
    expect(labels.builtIn).toBeUndefined();
    expect(labels.codes).toEqual(["ENG1", "ENG2", "ENG3", "EM1", "DA1", "DS1", "PM1", "DES1", "SUP1", "SUP2", "SAL1", "SAL2", "OPS1", "FIN1", "STUDY", "UNEMP", "LEAVE"]);
    expect(labels.specialStates()).toEqual(["STUDY", "UNEMP", "LEAVE"]);
    expect([labels.stateOf("LEAVE"), labels.stateOf("UNEMP"), labels.stateOf("ENG1")]).toEqual(["NILF", "UNEMP", undefined]);
    expect([labels.codeOf("NILF"), labels.codeOf("EDU"), labels.codeOf("NOWORK")]).toEqual(["LEAVE", "STUDY", undefined]);
  });

  it("refuses the project's code for a state the list renames", () => {
    const file = path.join(dir, "renamed.csv");
    writeFileSync(file, "person_id,year,occupation\np,2000,A\np,2001,NILF\np,2002,LEAVE\n");
    const panel = readPanelCsv(file, { source: "small", taxonomy: SMALL });
    expect(panel.report.refused).toEqual({ "occupation not in taxonomy": 1 });
    expect(panel.careers[0]!.history.map((h) => h.occupation)).toEqual(["A", "LEAVE"]);
  });

  it("flows through --labels in the dataset options and the ingest command", async () => {
    expect(() => datasetOptionsFromArgs({ dataset: "x", labels: ACME_LABELS })).toThrow(/--labels FILE .* goes with --panel FILE/);
    expect(() => datasetOptionsFromArgs({ panel: ACME_PANEL, labels: ACME_LABELS, taxonomy: "nlswork" })).toThrow(/instead of --taxonomy/);
    const { panel } = await loadDataset(datasetOptionsFromArgs({ dataset: "acme", panel: ACME_PANEL, labels: ACME_LABELS }));
    expect(panelLabels(panel).title("LEAVE")).toBe("Career break");

    expect(ingest("panel", { file: ACME_PANEL, labels: ACME_LABELS }).taxonomy).toBe("custom:acme-panel");
    expect(() => ingest("nlswork", { labels: ACME_LABELS })).toThrow(/--labels goes with --format panel/);
    const run = spawnSync(process.execPath, [repoPath("scripts", "panel", "ingest.ts"), "--format", "panel", "--file", ACME_PANEL, "--labels", labelsFile("code,title\nA,X\nA,Y\n")], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not a usable code list \(1 problem\):\n {2}line 3 code: "A" is already on line 2/);
  });
});

describe("the label set of a code list", () => {
  const labels = LabelSet.of(SMALL, ["LEAVE"]);

  it("orders occupations as the list does, then the states that occur, with the list's codes and titles", () => {
    expect(labels.labels).toEqual([{ code: "A", title: "Analyst" }, { code: "B", title: "Buyer" }, { code: "LEAVE", title: "Career break", special: "NILF" }]);
    expect(LabelSet.of(SMALL).codes).toEqual(["A", "B"]);
    expect(LabelSet.complete(SMALL).codes).toEqual(["A", "B", "EDU", "UNEMP", "LEAVE", "NOWORK"]);
    expect(() => new LabelSet("custom:x", [{ code: "L", title: "L", special: "NILF" }, { code: "NILF", title: "N" }])).toThrow(/names special state NILF twice/);
  });

  it("answers P(exit the labour force) from the list's own code for NILF", () => {
    const probs = [0.5, 0.2, 0.3];
    expect(exitLaborForceProbability(labels, probs)).toBe(0.3);
    expect(exitLaborForceProbability(LabelSet.of(SMALL), [0.5, 0.5])).toBeUndefined();
    expect(changeProbability(labels, probs, "LEAVE")).toBeCloseTo(0.7, 12);
  });

  it("renders the list's titles in the resume, and its codes as tokens of its own (states as the project's)", () => {
    const career = { person: { sex: "female" as const }, history: [{ year: 2000, occupation: "A" }, { year: 2001, occupation: "LEAVE" }] };
    expect(renderResume("small", career, labels)).toBe("Resume from small\nA female worker.\n2000: Analyst\n2001: Career break\n<END>\n");
    expect(renderResume("small", career, labels, { rendering: "codes" })).toMatch(/\n2000: <custom:small:A>\n2001: <state:NILF>\n/);
    expect(codeToken(labels, "B")).toBe("<custom:small:B>");
    expect(continuationText(labels, "B")).toBe(" Buyer\n");
  });

  it("finds labels by the words of their titles (the search of a code list's model)", () => {
    expect(searchLabels(labels, "anal", 5)).toEqual([{ code: "A", title: "Analyst", score: 1 }]);
    expect(searchLabels(labels, "career b", 5)).toEqual([{ code: "LEAVE", title: "Career break", score: 1 }]);
    expect(searchLabels(labels, "nurse", 5)).toEqual([]);
    const acme = panelLabels(readPanelCsv(ACME_PANEL, { source: "acme", taxonomy: readLabelsFile(ACME_LABELS, "acme") }));
    expect(searchLabels(acme, "software eng", 5).map((m) => m.code)).toEqual(["ENG1", "ENG2"]);
    expect(searchLabels(acme, "manager", 5).map((m) => m.code)).toEqual(["EM1", "PM1", "SAL2"]);
  });

  it("is what labels.json carries; a loader refuses a broken one", () => {
    expect(isLabelSetId("custom:acme")).toBe(true);
    expect(isLabelSetId("custom:")).toBe(false);
    expect(isLabelSetId("acme")).toBe(false);
    const loaded = labelSetOf({ taxonomy: "custom:small", labels: [...labels.labels] }, "small");
    expect(loaded.codeOf("NILF")).toBe("LEAVE");
    const broken = (labelList: unknown[]) => () => labelSetOf({ taxonomy: "custom:small", labels: labelList as never }, "small");
    expect(broken([{ code: "A", title: "Analyst", special: "RETIRED" }])).toThrow(ArtifactIntegrityError);
    expect(broken([{ code: "A" }])).toThrow(/label 0 is not a code and title/);
    expect(broken([{ code: "A", title: "x" }, { code: "A", title: "y" }])).toThrow(/duplicate codes/);
  });
});
