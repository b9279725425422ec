import { describe, expect, it } from "vitest";
import { fnv1a, splitCareers, splitOf } from "../../scripts/lib/splits.ts";
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
    const differs = panel.careers.filter((c) => splitOf("nlswork", c.id) !== splitOf("other", c.id)).length;
    expect(differs).toBeGreaterThan(n / 10);
  });

  it("follows the documented rule: FNV-1a 32 of \"dataset\\0id\" mod 100, <80 train, <90 validation, else test", () => {
    // The published FNV-1a 32-bit test vectors.
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
    // Pinned: computed once outside this code (Python, from the rule above). A change of hash, salt,
    // separator or cut-offs moves people between splits, and so changes every model's held-out set.
    const pinned: [string, string, number, string][] = [
      ["nlswork", "1", 50, "train"],
      ["nlswork", "7", 88, "validation"],
      ["nlswork", "9", 98, "test"],
      ["nlswork", "10", 82, "validation"],
      ["nlswork", "17", 87, "validation"],
      ["nlswork", "22", 99, "test"],
      ["nlswork", "58", 90, "test"],
      ["nlswork", "59", 9, "train"],
      ["psid", "3", 92, "test"],
      ["psid", "6", 87, "validation"],
      ["psid", "9", 78, "train"],
      ["psid", "17", 31, "train"],
    ];
    expect(pinned.map(([dataset, id]) => [dataset, id, fnv1a(`${dataset}\u0000${id}`) % 100, splitOf(dataset, id)])).toEqual(pinned);
  });

  it("gives a person the same split whoever else is in the panel", () => {
    const some = panel.careers.filter((_, i) => i % 7 === 3);
    const kept = new Set(some);
    const alone = splitCareers("nlswork", some);
    for (const s of ["train", "validation", "test"] as const) {
      expect(alone[s].length, s).toBeGreaterThan(0);
      expect(alone[s].map((c) => c.id)).toEqual(split[s].filter((c) => kept.has(c)).map((c) => c.id));
    }
  });
});
