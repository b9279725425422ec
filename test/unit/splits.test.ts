import { describe, expect, it } from "vitest";
import { splitCareers, splitOf } from "../../scripts/lib/splits.ts";
import { readNlswork } from "../../scripts/panel/nlswork.ts";

describe("person splits", () => {
  const panel = readNlswork();
  const split = splitCareers("nlswork", panel.careers);

  it("puts every person in exactly one split, deterministically", () => {
    const ids = (s: keyof typeof split) => new Set(split[s].map((c) => c.id));
    const [train, validation, test] = [ids("train"), ids("validation"), ids("test")];
    expect(train.size + validation.size + test.size).toBe(panel.careers.length);
    for (const id of test) expect(train.has(id) || validation.has(id)).toBe(false);
    for (const id of validation) expect(train.has(id)).toBe(false);
    expect(splitCareers("nlswork", [...panel.careers].reverse()).test.map((c) => c.id).sort()).toEqual([...test].sort());
  });

  it("is roughly 80/10/10 and depends only on the dataset and person id", () => {
    const n = panel.careers.length;
    expect(split.train.length / n).toBeGreaterThan(0.76);
    expect(split.test.length / n).toBeGreaterThan(0.08);
    expect(split.test.length / n).toBeLessThan(0.12);
    expect(splitOf("nlswork", "17")).toBe(splitOf("nlswork", "17"));
    const differs = panel.careers.filter((c) => splitOf("nlswork", c.id) !== splitOf("other", c.id)).length;
    expect(differs).toBeGreaterThan(n / 10);
  });
});
