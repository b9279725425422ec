// npm run build:census1980 [-- --nlsy79]
// Builds data/crosswalks/census1980_to_occ1990dd.csv (1980 Census occupation code -> occ1990dd) from the two
// source tables in data/crosswalks/sources/ (provenance: data/crosswalks/README.md):
//   ipums_occ1990_xwalk.csv      IPUMS USA's OCC1990 crosswalk: the OCC1990 code of every 1980 (and 1990) code
//   dorn_occ1990dd_recode.csv    David Dorn's recode of OCC1990 into occ1990dd, as ordered rules
// A 1980 code's occ1990dd starts as its IPUMS OCC1990 code; Dorn's rules are then applied in order, each
// setting occ1990dd where its condition holds (on the original census code, the OCC1990 code, or the
// occ1990dd value so far), exactly as his do-file does. No code is mapped by assuming that a 1980 code means
// the same as the equal occ1990dd code: 1980's 18 and 19 (funeral directors; managers, n.e.c.) are
// occ1990dd's 19 and 22, and occ1990dd 18/19 are other occupations.
// --nlsy79 also prints the coverage of ../shared/data/panels/nlsy79/occupation_cps1980.csv (the README's
// figures). Deterministic: test/unit/census1980.test.ts rebuilds the file and compares.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { getTaxonomy } from "../core/taxonomy.ts";
import { readCsv } from "./lib/csv.ts";
import { dataPath, repoPath } from "./lib/paths.ts";

export const CENSUS1980_FILE = repoPath("data", "crosswalks", "census1980_to_occ1990dd.csv");
export const IPUMS_XWALK_FILE = repoPath("data", "crosswalks", "sources", "ipums_occ1990_xwalk.csv");
export const DORN_RECODE_FILE = repoPath("data", "crosswalks", "sources", "dorn_occ1990dd_recode.csv");
export const NLSY79_OCCUPATIONS_FILE = dataPath("panels", "nlsy79", "occupation_cps1980.csv");

/** One of Dorn's rules: where `on` (the census code, the OCC1990 code or the occ1990dd so far) is one of `codes`, occ1990dd becomes `then`. */
export interface RecodeRule {
  step: number;
  on: "census" | "occ1990" | "occ1990dd";
  codes: ReadonlySet<number>;
  then: number;
}

export interface Census1980Row {
  census1980: number;
  occ1990dd: number;
  /** "ipums-occ1990": no step of Dorn's recode applies, occ1990dd is the IPUMS OCC1990 code; "ipums-occ1990+dorn-recode": one or more did. */
  source: "ipums-occ1990" | "ipums-occ1990+dorn-recode";
  occ1990: number;
  /** The steps of Dorn's recode that fired for this code, in order. */
  dornSteps: number[];
  /** Whether occ1990dd is one of the project's occ1990dd labels (core/taxonomies/occ1990dd.json). */
  inTaxonomy: boolean;
}

/**
 * Census codes named by Dorn's census-code rules whose IPUMS OCC1990 differs between the 1980 and 1990
 * columns (so the 1990 rule does not read the same occupation in 1980 data). 17 is postmasters in 1980
 * (OCC1990 16) and food-service managers in 1990: both end at 22 (step 1 or step 48) either way.
 */
const CENSUS_RULE_CODES_READ_DIFFERENTLY_IN_1980 = new Set([17]);

const int = (s: string | undefined, what: string): number => {
  if (!s || !/^\d+$/.test(s.trim())) throw new Error(`${what}: not a code: ${JSON.stringify(s)}`);
  return Number(s);
};

/** "263-269 274" -> {263, ..., 269, 274}. */
function codeList(text: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.trim().split(/\s+/)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`recode rule: bad code list ${JSON.stringify(text)}`);
    for (let c = Number(m[1]); c <= Number(m[2] ?? m[1]); c++) out.add(c);
  }
  return out;
}

export function readRecodeRules(file = DORN_RECODE_FILE): RecodeRule[] {
  return readCsv(file).map(({ fields: f, line }) => {
    const on = f.if;
    if (on !== "census" && on !== "occ1990" && on !== "occ1990dd") throw new Error(`${file}:${line}: unknown condition ${on}`);
    return { step: int(f.step, `${file}:${line} step`), on, codes: codeList(f.codes ?? ""), then: int(f.then, `${file}:${line} then`) };
  });
}

/** The IPUMS crosswalk: census code -> OCC1990, for the 1980 and the 1990 Census columns. */
export function readIpumsXwalk(file = IPUMS_XWALK_FILE): { census1980: Map<number, number>; census1990: Map<number, number> } {
  const census1980 = new Map<number, number>();
  const census1990 = new Map<number, number>();
  for (const { fields: f, line } of readCsv(file)) {
    const occ1990 = int(f.occ1990, `${file}:${line} occ1990`);
    for (const [column, map] of [["census1980", census1980], ["census1990", census1990]] as const) {
      const v = f[column]?.trim();
      if (!v) continue;
      const code = int(v, `${file}:${line} ${column}`);
      if (map.has(code) && map.get(code) !== occ1990) throw new Error(`${file}:${line}: ${column} ${code} is listed under two OCC1990 codes`);
      map.set(code, occ1990);
    }
  }
  return { census1980, census1990 };
}

/** Dorn's recode of one census code with its OCC1990 code: the occ1990dd code and the steps that fired. */
export function applyRecode(census: number, occ1990: number, rules: readonly RecodeRule[]): { occ1990dd: number; steps: number[] } {
  let occ1990dd = occ1990;
  const steps: number[] = [];
  for (const r of rules) {
    const subject = r.on === "census" ? census : r.on === "occ1990" ? occ1990 : occ1990dd;
    if (r.codes.has(subject)) {
      occ1990dd = r.then;
      steps.push(r.step);
    }
  }
  return { occ1990dd, steps };
}

/** Every 1980 Census code of the IPUMS crosswalk with its occ1990dd code. */
export function buildCensus1980Rows(): Census1980Row[] {
  const { census1980, census1990 } = readIpumsXwalk();
  const rules = readRecodeRules();
  // Dorn's census-code rules are written for 1990 Census codes; they apply to a 1980 code only if IPUMS puts
  // that code in the same OCC1990 category in both censuses (the same occupation under the same number).
  for (const r of rules.filter((r) => r.on === "census"))
    for (const c of r.codes)
      if (census1980.has(c) && census1980.get(c) !== census1990.get(c) && !CENSUS_RULE_CODES_READ_DIFFERENTLY_IN_1980.has(c))
        throw new Error(`recode step ${r.step}: census code ${c} is OCC1990 ${census1980.get(c)} in 1980 but ${census1990.get(c)} in 1990`);
  const labels = new Set(getTaxonomy("occ1990dd").labels.map((l) => l.code));
  return [...census1980]
    .sort((a, b) => a[0] - b[0])
    .map(([code, occ1990]) => {
      const { occ1990dd, steps } = applyRecode(code, occ1990, rules);
      return {
        census1980: code,
        occ1990dd,
        source: steps.length > 0 ? "ipums-occ1990+dorn-recode" : "ipums-occ1990",
        occ1990,
        dornSteps: steps,
        inTaxonomy: labels.has(String(occ1990dd)),
      };
    });
}

export function serialiseCensus1980Csv(rows: readonly Census1980Row[]): string {
  const lines = ["census1980,occ1990dd,source,occ1990,dorn_steps,in_taxonomy"];
  for (const r of rows) lines.push([r.census1980, r.occ1990dd, r.source, r.occ1990, r.dornSteps.join(" "), r.inTaxonomy ? "yes" : "no"].join(","));
  return lines.join("\n") + "\n";
}

export interface Coverage {
  codedPersonYears: number;
  mappedPersonYears: number;
  distinctCodes: number;
  distinctMapped: number;
  /** Codes left unmapped, most person-years first, with why. */
  unmapped: { code: number; personYears: number; reason: string }[];
  /**
   * Person-years whose 1980 code is itself an occ1990dd label but which the sources send to another code
   * (19, managers n.e.c., is occ1990dd 22; occ1990dd 19 is funeral directors): what reading 1980 codes as
   * occ1990dd codes would get wrong.
   */
  sameNumberOtherOccupation: { personYears: number; codes: { code: number; personYears: number; occ1990dd: number }[] };
}

/**
 * How much of a panel of 1980 Census codes the mapping places in the taxonomy: person-years with a code
 * (NLS Investigator's negative missing-value codes excluded), and those whose code reaches an occ1990dd label.
 */
export function census1980Coverage(codes: Iterable<number>, rows: readonly Census1980Row[] = buildCensus1980Rows()): Coverage {
  const byCode = new Map(rows.map((r) => [r.census1980, r]));
  const counts = new Map<number, number>();
  for (const c of codes) if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  const labels = new Set(getTaxonomy("occ1990dd").labels.map((l) => l.code));
  let coded = 0, mapped = 0, distinctMapped = 0;
  const unmapped: Coverage["unmapped"] = [];
  const other: Coverage["sameNumberOtherOccupation"] = { personYears: 0, codes: [] };
  for (const [code, n] of counts) {
    coded += n;
    const row = byCode.get(code);
    if (row?.inTaxonomy && labels.has(String(code)) && row.occ1990dd !== code) {
      other.personYears += n;
      other.codes.push({ code, personYears: n, occ1990dd: row.occ1990dd });
    }
    if (row?.inTaxonomy) {
      mapped += n;
      distinctMapped++;
    } else
      unmapped.push({
        code,
        personYears: n,
        reason: row ? `occ1990dd ${row.occ1990dd} (via OCC1990 ${row.occ1990}) is not one of the taxonomy's codes` : "not a 1980 Census code in the IPUMS crosswalk",
      });
  }
  unmapped.sort((a, b) => b.personYears - a.personYears || a.code - b.code);
  other.codes.sort((a, b) => b.personYears - a.personYears || a.code - b.code);
  return { codedPersonYears: coded, mappedPersonYears: mapped, distinctCodes: counts.size, distinctMapped, unmapped, sameNumberOtherOccupation: other };
}

/** Every occupation code of the NLSY79 file (one per person-year, missing-value codes included). */
export function readNlsy79Codes(file = NLSY79_OCCUPATIONS_FILE): number[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
  const out: number[] = [];
  for (const line of lines.slice(1)) for (const v of line.split(",").slice(1)) if (v.trim() !== "") out.push(Number(v));
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { nlsy79: { type: "boolean", default: false } } });
  const rows = buildCensus1980Rows();
  writeFileSync(CENSUS1980_FILE, serialiseCensus1980Csv(rows));
  const outside = rows.filter((r) => !r.inTaxonomy);
  console.log(`${CENSUS1980_FILE}: ${rows.length} 1980 codes; ${rows.length - outside.length} reach an occ1990dd label; ` +
    `${rows.filter((r) => r.source !== "ipums-occ1990").length} changed by Dorn's recode; ` +
    `outside the taxonomy: ${outside.map((r) => `${r.census1980}->${r.occ1990dd}`).join(" ")}`);
  if (values.nlsy79) {
    const cov = census1980Coverage(readNlsy79Codes(), rows);
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(2)}%`;
    console.log(`NLSY79 (${NLSY79_OCCUPATIONS_FILE}):`);
    console.log(`  coded person-years ${cov.codedPersonYears}, mapped ${cov.mappedPersonYears} (${pct(cov.mappedPersonYears, cov.codedPersonYears)}), unmapped ${cov.codedPersonYears - cov.mappedPersonYears}`);
    console.log(`  distinct codes ${cov.distinctCodes}, mapped ${cov.distinctMapped}, unmapped ${cov.distinctCodes - cov.distinctMapped}`);
    const other = cov.sameNumberOtherOccupation;
    console.log(`  read as occ1990dd codes, ${other.personYears} person-years (${other.codes.length} codes) would get another code than the sources give: ` +
      other.codes.map((c) => `${c.code}->${c.occ1990dd} (${c.personYears})`).join(", "));
    console.log("  unmapped (code, person-years, why):");
    for (const u of cov.unmapped) console.log(`  ${u.code}\t${u.personYears}\t${u.reason}`);
  }
}
