// The crosswalk tables that ship with the code (crosswalk-tables.json, written by `npm run build:titles`),
// and code conversion over them. A JSON import: parsed once, when the module loads (about 0.1 MB).
import tables from "./crosswalk-tables.json" with { type: "json" };
import { Crosswalks, type CodeSystem, type ConvertResult, type CrosswalkTables } from "./convert.ts";
import { equivalentsFor, type Equivalents, type EquivalentSystem } from "./equivalents.ts";
import { sha256Hex } from "../digest.ts";
import type { TaxonomyId } from "../taxonomy.ts";

let shipped: Crosswalks | undefined;
let digest: Promise<string> | undefined;

/** The sha256 of the shipped tables, once per isolate: answers that read them (`understood`, `equivalents`)
 *  are cached under it, so new tables are never answered from an old entry. */
export function crosswalksDigest(): Promise<string> {
  return (digest ??= sha256Hex(JSON.stringify(tables)));
}

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

/**
 * The codes of `system` that a label of the model's taxonomy corresponds to (equivalents.ts): at most `limit`
 * (default MAX_EQUIVALENTS), by weight, with the total count; none for a special state. Throws for a taxonomy
 * that is not built in (equivalentsRefusal says why; requests are refused before this).
 */
export function equivalentsOf(label: string, opts: { taxonomy: string; system: EquivalentSystem; limit?: number }): Equivalents {
  return equivalentsFor(defaultCrosswalks(), label, opts);
}
