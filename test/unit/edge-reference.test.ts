// The Worker's reference cases (test/worker/fixtures) are the questions behind the shipped models' PyTorch
// reference outputs: regenerated here, they must equal the committed file (run `npm run edge-reference`
// after a model build).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { REFERENCE_FILE, referenceJson } from "../../scripts/edge-reference.ts";

it("the Worker's reference requests match the shipped models and their panels", async () => {
  expect(readFileSync(REFERENCE_FILE, "utf8")).toBe(await referenceJson());
});
