// The crosswalk tables that ship with the code (crosswalk-tables.json, written by `npm run build:titles`),
// and code conversion over them. A JSON import: parsed once, when the module loads (about 0.1 MB).
import tables from "./crosswalk-tables.json" with { type: "json" };
import { Crosswalks, type CodeSystem, type ConvertResult, type CrosswalkTables } from "./convert.ts";
import type { TaxonomyId } from "../taxonomy.ts";

let shipped: Crosswalks | undefined;

export function defaultCrosswalks(): Crosswalks {
  return (shipped ??= new Crosswalks(tables as unknown as CrosswalkTables));
}

/**
 * A code of another system -> ranked codes of the model's taxonomy with the share of crosswalk weight
 * reaching each; status "unknown-code" for a code the system does not have, "no-mapping" for one the
 * crosswalks cannot place (e.g. military O*NET-SOC codes, which occ1990dd lacks).
 */
export function convertCode(
  input: { code: string; system: CodeSystem },
  opts: { taxonomy: TaxonomyId; limit?: number },
): ConvertResult {
  return defaultCrosswalks().convert(input, opts);
}
