import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getTaxonomy } from "../../core/taxonomy.ts";
import {
  AMBIGUITY,
  codeTitle,
  convertCode,
  CODE_SYSTEMS,
  loadTitleIndex,
  normaliseTitle,
  occ1990ddToNlswork,
  searchOccupations,
  titleKey,
  type TitleIndex,
} from "../../core/titles/index.ts";
import crosswalkTables from "../../core/titles/crosswalk-tables.json" with { type: "json" };
import { decodeTitleIndex, encodeTitleIndex } from "../../core/titles/format.ts";
import { buildShippedTitleArtifacts, CROSSWALK_TABLES_FILE, serialiseTables, TITLE_INDEX_FILE } from "../../scripts/build-titles.ts";
import { sourceFingerprint } from "../../scripts/titles/sources.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const shippedBytes = readFileSync(TITLE_INDEX_FILE);
let loaded: TitleIndex | undefined;
const index = (): TitleIndex => (loaded ??= loadTitleIndex(new Uint8Array(shippedBytes)));

describe("title normalisation", () => {
  it("expands abbreviations and drops schedule, level and punctuation noise", () => {
    expect(normaliseTitle("RN - ICU nights")).toEqual(["registered", "nurse", "intensive", "care", "unit"]);
    expect(titleKey("Sr. Software Eng.")).toBe("senior software engineer");
    expect(titleKey("Admin Asst II")).toBe("administrative assistant");
    expect(titleKey("System Admin")).toBe("system administrator");
    expect(titleKey("Part-Time Cashier (Remote) - Level 2")).toBe("cashier");
    expect(titleKey("Asst. Mgr, Retail")).toBe("assistant manager retail");
    expect(titleKey("LPN/LVN per diem")).toBe("licensed practical nurse vocational");
    expect(titleKey("C++ Developer")).toBe("cplusplus developer");
    expect(titleKey("Café Managers")).toBe("cafe manager");
    expect(titleKey("Salesmen & Saleswomen")).toBe("salesman saleswoman");
  });

  it("treats words that are Object.prototype keys as plain words", () => {
    expect(titleKey("constructor toString")).toBe("constructor tostring");
  });

  it("has nothing left for a title of noise only", () => {
    expect(normaliseTitle("Night shift, part-time, 2nd")).toEqual([]);
  });
});

describe("codeTitle", () => {
  it("codes 'RN - ICU nights' as a registered nurse, confidently, at every level", () => {
    const occ = codeTitle(index(), "RN - ICU nights", { taxonomy: "occ1990dd" });
    expect(occ.ambiguous).toBe(false);
    expect(occ.candidates[0]).toMatchObject({ code: "95", title: "Registered nurses" });
    expect(occ.candidates[0]!.onet_soc).toMatch(/^29-1141\./);
    const onet = codeTitle(index(), "RN - ICU nights", { taxonomy: "onet-soc", limit: 3 });
    expect(onet.candidates.map((c) => c.code).every((c) => c.startsWith("29-1141."))).toBe(true);
    expect(codeTitle(index(), "RN - ICU nights", { taxonomy: "nlswork" }).candidates[0]!.code).toBe("1");
  });

  it("puts software developer/engineer codes in the top 5 for 'Sr. Software Eng.'", () => {
    const onet = codeTitle(index(), "Sr. Software Eng.", { taxonomy: "onet-soc", limit: 5 });
    expect(onet.candidates.map((c) => c.code)).toContain("15-1252.00");
    const occ = codeTitle(index(), "Sr. Software Eng.", { taxonomy: "occ1990dd", limit: 5 }).candidates.map((c) => c.code);
    expect(occ.some((c) => c === "64" || c === "229")).toBe(true);
  });

  it("ranks candidates with confidences in [0, 1] that sum to at most 1, within the limit", () => {
    for (const title of ["cashier", "truck driver CDL-A", "Manager", "teacher"]) {
      const r = codeTitle(index(), title, { taxonomy: "occ1990dd", limit: 4 });
      expect(r.candidates.length).toBeGreaterThan(0);
      expect(r.candidates.length).toBeLessThanOrEqual(4);
      const conf = r.candidates.map((c) => c.confidence);
      expect(conf.every((c) => c >= 0 && c <= 1)).toBe(true);
      expect([...conf].sort((a, b) => b - a)).toEqual(conf);
      expect(conf.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it("flags unknown and ambiguous titles, with the reason", () => {
    expect(codeTitle(index(), "xyzzy qwertyuiop", { taxonomy: "occ1990dd" })).toEqual({ candidates: [], ambiguous: true, reason: "no-match" });
    expect(codeTitle(index(), "  -- nights --", { taxonomy: "occ1990dd" })).toEqual({ candidates: [], ambiguous: true, reason: "no-words" });
    const vague = codeTitle(index(), "Manager", { taxonomy: "onet-soc" });
    expect(vague.ambiguous).toBe(true);
    expect(vague.candidates[0]!.confidence).toBeLessThan(AMBIGUITY.MIN_CONFIDENCE);
  });

  it("tolerates a misspelt word", () => {
    expect(codeTitle(index(), "Registerd nurse", { taxonomy: "occ1990dd" }).candidates[0]!.code).toBe("95");
  });

  it("codes to ISCO-08 through the ESCO labels", () => {
    expect(codeTitle(index(), "shop assistant", { taxonomy: "isco08" }).candidates[0]!.code).toBe("5223");
  });
});

describe("searchOccupations", () => {
  it("completes the last word as a prefix", () => {
    expect(searchOccupations(index(), "regist", { taxonomy: "occ1990dd" })[0]!.code).toBe("95");
    expect(searchOccupations(index(), "truck dr", { taxonomy: "occ1990dd" })[0]!.code).toBe("804");
    expect(searchOccupations(index(), "cash", { taxonomy: "occ1990dd" })[0]!.code).toBe("276");
  });

  it("returns at most `limit` distinct codes with titles, best first", () => {
    const r = searchOccupations(index(), "nur", { taxonomy: "occ1990dd", limit: 3 });
    expect(r).toHaveLength(3);
    expect(new Set(r.map((s) => s.code)).size).toBe(3);
    expect(r[0]!.score).toBeGreaterThanOrEqual(r[1]!.score);
    expect(r.every((s) => s.title.length > 0)).toBe(true);
  });

  it("returns nothing for an empty query", () => {
    expect(searchOccupations(index(), "", { taxonomy: "occ1990dd" })).toEqual([]);
  });
});

describe("convertCode", () => {
  const top = (code: string, system: (typeof CODE_SYSTEMS)[number], taxonomy: "occ1990dd" | "nlswork" | "isco08" = "occ1990dd") =>
    convertCode({ code, system }, { taxonomy }).candidates[0];

  it("converts a known code of every system to occ1990dd", () => {
    expect(top("95", "occ1990dd")).toMatchObject({ code: "95", confidence: 1 });
    expect(top("3255", "census2010")).toMatchObject({ code: "95", confidence: 1 });
    expect(top("3255", "census2018")).toMatchObject({ code: "95", confidence: 1 });
    expect(top("29-1141", "soc2010")).toMatchObject({ code: "95", confidence: 1 });
    expect(top("29-1141", "soc2018")).toMatchObject({ code: "95", confidence: 1 });
    expect(top("15-1252", "soc2018")).toMatchObject({ code: "64" }); // software developers: new in SOC 2018
    expect(top("29-1141.01", "onet-soc")).toMatchObject({ code: "95", confidence: 1 });
    expect(top("2221", "isco08")!.code).toBe("95"); // through the title-match bridge
  });

  it("reads codes in their usual spellings", () => {
    expect(top("291141", "soc2010")!.code).toBe("95");
    expect(top("29-1141", "onet-soc")!.code).toBe("95"); // -> 29-1141.00
    expect(top("0010", "census2010")!.code).toBe("4");
    expect(top("10", "census2018")!.code).toBe("4");
  });

  it("converts to nlswork groups and to ISCO-08", () => {
    expect(top("29-1141", "soc2010", "nlswork")).toMatchObject({ code: "1", title: "Professional/technical" });
    expect(top("4720", "census2010", "nlswork")!.code).toBe("4"); // cashiers: clerical in 1970
    expect(top("3", "nlswork", "nlswork")).toMatchObject({ code: "3", confidence: 1 });
    expect(top("29-1141", "soc2018", "isco08")!.code).toBe("2221");
    expect(top("2221", "isco08", "isco08")).toMatchObject({ code: "2221", confidence: 1 });
  });

  it("splits a census code that stands for several SOC codes, shares summing to at most 1", () => {
    const r = convertCode({ code: "0960", system: "census2018" }, { taxonomy: "occ1990dd", limit: 10 }); // 13-20XX
    expect(r.status).toBe("ok");
    expect(r.candidates.length).toBeGreaterThan(1);
    expect(r.candidates.reduce((s, c) => s + c.confidence, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it("refuses unknown codes and says when a valid code has no defensible mapping", () => {
    expect(convertCode({ code: "99-9999", system: "soc2018" }, { taxonomy: "occ1990dd" })).toMatchObject({ status: "unknown-code", candidates: [] });
    expect(convertCode({ code: "banana", system: "census2010" }, { taxonomy: "occ1990dd" }).status).toBe("unknown-code");
    expect(convertCode({ code: "14", system: "nlswork" }, { taxonomy: "nlswork" }).status).toBe("unknown-code");
    // Military occupations have no occ1990dd code; nlswork's 13 groups cannot be split into occupations.
    expect(convertCode({ code: "55-1011.00", system: "onet-soc" }, { taxonomy: "occ1990dd" }).status).toBe("no-mapping");
    expect(convertCode({ code: "4", system: "nlswork" }, { taxonomy: "occ1990dd" }).status).toBe("no-mapping");
    // Census 2010 9920 is occ1990dd 999 (unclassified), which is no label; ISCO 0110 scatters over the bridge.
    expect(convertCode({ code: "9920", system: "census2010" }, { taxonomy: "occ1990dd" }).status).toBe("no-mapping");
    expect(convertCode({ code: "0110", system: "isco08" }, { taxonomy: "occ1990dd" }).status).toBe("no-mapping");
  });
});

describe("occ1990dd -> nlswork groups", () => {
  it("places every occ1990dd code, weights summing to 1, never in 'Other'", () => {
    const groups = occ1990ddToNlswork();
    const nls = new Set(getTaxonomy("nlswork").labels.map((l) => l.code));
    for (const { code } of getTaxonomy("occ1990dd").labels) {
      const w = groups.get(code)!;
      expect(Object.values(w).reduce((a, b) => a + b, 0), code).toBeCloseTo(1, 9);
      for (const g of Object.keys(w)) expect(nls.has(g) && g !== "13", `${code} -> ${g}`).toBe(true);
    }
    expect(groups.get("95")).toEqual({ "1": 1 });
    expect(groups.get("276")).toEqual({ "4": 1 });
    expect(groups.get("804")).toEqual({ "7": 1 });
    expect(groups.get("405")).toEqual({ "12": 0.5, "11": 0.5 });
  });
});

describe("title index file (core/titles/format.ts)", () => {
  it("decodes to views of the file's bytes, each array aligned, and encodes back to the same bytes", () => {
    const bytes = new Uint8Array(shippedBytes.buffer, shippedBytes.byteOffset, shippedBytes.byteLength);
    const file = decodeTitleIndex(bytes);
    expect(file.doc_term_counts.length).toBe(index().docCount);
    for (const a of [file.doc_term_counts, file.doc_terms, file.doc_label_counts, file.doc_labels, file.doc_label_weights]) {
      expect(a.buffer).toBe(bytes.buffer); // no copy
      expect((a.byteOffset - bytes.byteOffset) % 8).toBe(0);
    }
    expect(Buffer.from(encodeTitleIndex(file)).equals(shippedBytes)).toBe(true);
  });

  it("reads bytes at an odd offset (copying the 16-bit arrays) and refuses what is not an index", () => {
    const shifted = new Uint8Array(shippedBytes.length + 1);
    shifted.set(shippedBytes, 1);
    const odd = decodeTitleIndex(shifted.subarray(1));
    const file = decodeTitleIndex(new Uint8Array(shippedBytes));
    expect(odd.doc_terms).toEqual(file.doc_terms);
    expect(odd.doc_labels).toEqual(file.doc_labels);
    expect(() => decodeTitleIndex(new TextEncoder().encode('{"format":"labor-llm-edge/titles"}'))).toThrow(/magic/);
    const otherVersion = new Uint8Array(shippedBytes);
    otherVersion[8] = 99;
    expect(() => decodeTitleIndex(otherVersion)).toThrow(/version 99/);
    expect(() => decodeTitleIndex(shippedBytes.subarray(0, shippedBytes.length - 1))).toThrow(/outside the file/);
    expect(() => decodeTitleIndex(shippedBytes.subarray(0, 100))).toThrow(/header of/);
  });
});

describe("shipped artifacts", () => {
  it("load, and match a rebuild from the reference data byte for byte", () => {
    const fingerprint = sourceFingerprint();
    expect(index().fingerprint).toBe(fingerprint);
    expect(crosswalkTables.fingerprint).toBe(fingerprint);
    const rebuilt = buildShippedTitleArtifacts();
    expect(Buffer.from(encodeTitleIndex(rebuilt.index)).equals(shippedBytes), "model/titles/titles.bin is stale: npm run build:titles").toBe(true);
    expect(serialiseTables(rebuilt.tables) === readFileSync(CROSSWALK_TABLES_FILE, "utf8"), "crosswalk-tables.json is stale: npm run build:titles").toBe(true);
  });

  it("core/titles uses no Node API (it runs in workerd)", () => {
    for (const file of readdirSync(repoPath("core", "titles")).filter((f) => f.endsWith(".ts")))
      expect(readFileSync(repoPath("core", "titles", file), "utf8"), file).not.toMatch(/from "node:|\bprocess\.|\bBuffer\b|\brequire\(/);
  });
});
