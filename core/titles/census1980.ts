// 1980 Census occupation codes -> occ1990dd, for the panel ingest (NLSY79 codes its jobs this way) and for
// requests ({ code, system: "census1980" }, through convertCode). The table is
// data/crosswalks/census1980_to_occ1990dd.csv (IPUMS OCC1990 crosswalk + David Dorn's recode; provenance in
// data/crosswalks/README.md), shipped inside crosswalk-tables.json by `npm run build:titles`. Platform-free.
import { getTaxonomy } from "../taxonomy.ts";
import { normaliseCode } from "./convert.ts";
import { defaultCrosswalks } from "./shipped-crosswalks.ts";

let labels: ReadonlySet<string> | undefined;

/**
 * The occ1990dd label of a 1980 Census occupation code ("23", "023", 337), or undefined when the code is
 * not a 1980 Census code or the sources send it outside the taxonomy (225, 346, 475, 679: codes
 * occ1990dd.csv lacks; military; unknown). The whole code is read: no prefix or range matching.
 */
export function census1980ToOcc1990dd(code: string | number): string | undefined {
  const c = normaliseCode("census1980", String(code));
  if (!/^\d+$/.test(c)) return undefined;
  const table = defaultCrosswalks().tables.census1980_occ1990dd;
  if (!Object.hasOwn(table, c)) return undefined;
  const target = table[c]!;
  labels ??= new Set(getTaxonomy("occ1990dd").labels.map((l) => l.code));
  return labels.has(target) ? target : undefined;
}
