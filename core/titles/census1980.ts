// 1980 Census occupation codes -> occ1990dd, for the panel ingest (NLSY79 codes its jobs this way): the
// census1980 code system of convertCode (requests send { code, system: "census1980" } through the same path).
// The table is data/crosswalks/census1980_to_occ1990dd.csv (IPUMS OCC1990 crosswalk + David Dorn's recode;
// provenance in data/crosswalks/README.md), shipped inside crosswalk-tables.json by `npm run build:titles`.
import { convertCode } from "./shipped-crosswalks.ts";

/**
 * The occ1990dd label of a 1980 Census occupation code ("23", "023", 337), or undefined when the code is
 * not a 1980 Census code or the sources send it outside the taxonomy (225, 346, 475, 679: codes
 * occ1990dd.csv lacks; military; unknown). The table maps each code to one occ1990dd code.
 */
export function census1980ToOcc1990dd(code: string | number): string | undefined {
  const converted = convertCode({ code: String(code), system: "census1980" }, { taxonomy: "occ1990dd", limit: 1 });
  return converted.status === "ok" ? converted.candidates[0]!.code : undefined;
}
