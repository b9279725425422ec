import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusText } from "../../scripts/corpus.ts";
import { splitCareers } from "../../scripts/lib/splits.ts";
import { readNlswork } from "../../scripts/panel/nlswork.ts";

describe("resume corpus", () => {
  it("renders the first nlswork test people exactly as the reviewed golden file", () => {
    const panel = readNlswork();
    const test = splitCareers("nlswork", panel.careers).test;
    const golden = readFileSync(new URL("../golden/nlswork-test-head.txt", import.meta.url), "utf8");
    expect(corpusText(panel, test.slice(0, 3), "titles")).toBe(golden);
  });
});
