// The panel CSV format: the source of truth for docs/panel-format.md. One row per person-year:
//
//   person_id,year,occupation,birth_year,sex,race,education,region
//   1,1978,4,1952,female,black,high school,south
//
// The first three columns are required; the covariates are optional (the column may be absent, an empty
// value means unknown). Vocabularies come from core/career.ts, the year range from core/contract.ts, so an
// ingested panel is always valid input to the prediction API.
import { EDUCATION_LEVELS, RACES, REGIONS, SEXES, type Person } from "../../core/career.ts";
import { MAX_YEAR, MIN_YEAR } from "../../core/contract.ts";
import { LabelSet, type CodeList, type LabelSetId, type TaxonomyId } from "../../core/taxonomy.ts";

export const REQUIRED_COLUMNS = ["person_id", "year", "occupation"] as const;
export const COVARIATE_COLUMNS = ["birth_year", "sex", "race", "education", "region"] as const;
export const PANEL_COLUMNS = [...REQUIRED_COLUMNS, ...COVARIATE_COLUMNS] as const;
export type PanelColumn = (typeof PANEL_COLUMNS)[number];
export type PersonField = keyof Person & (typeof COVARIATE_COLUMNS)[number];

/** Inclusive range of `year` and `birth_year` (the prediction contract's). */
export const YEAR_RANGE = { min: MIN_YEAR, max: MAX_YEAR } as const;

/** Allowed values of the text covariates. */
export const VOCABULARIES = {
  sex: SEXES,
  race: RACES,
  education: EDUCATION_LEVELS,
  region: REGIONS,
} as const satisfies Record<Exclude<PersonField, "birth_year">, readonly string[]>;

/** Refusal kinds of the panel format, in the order the checks run (a row is refused for its first problem). */
export const PANEL_REFUSALS = [
  "wrong number of fields",
  "person_id missing",
  "year missing",
  "year not an integer",
  "year out of range",
  "occupation missing",
  "occupation not in taxonomy",
  "duplicate person-year",
  "conflicting person-year",
] as const;
export type PanelRefusal = (typeof PANEL_REFUSALS)[number];

/** Fix kind for a person covariate that differs across a person's kept rows (any format). */
export const conflictFix = (field: PersonField): string => `${field} differs across the person's rows: most frequent kept`;

/** Every code a row may carry: the taxonomy's codes and the special states. */
export function occupationCodes(taxonomy: TaxonomyId | CodeList): Set<string> {
  return new Set(LabelSet.complete(taxonomy).codes);
}

/** A base-10 integer written without decimals ("1978", "-3"); undefined otherwise. */
export function parseInteger(text: string): number | undefined {
  return /^[+-]?\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** A whole number written as an integer or with zero decimals ("3", "3.0"), as in Stata exports. */
export function parseWholeNumber(text: string): number | undefined {
  return /^\d{1,9}(\.0*)?$/.test(text) ? Math.trunc(Number(text)) : undefined;
}

export const inYearRange = (y: number): boolean => y >= YEAR_RANGE.min && y <= YEAR_RANGE.max;

export interface PanelRow {
  personId: string;
  year: number;
  occupation: string;
  person: Person;
}

/** A covariate that could not be read: the row is kept with it unknown (its occupation is not lost). */
export interface CovariateFix {
  field: PersonField;
  kind: string;
  message: string;
}

/** Fix kind for an unreadable covariate value. */
export const unknownCovariateFix = (field: PersonField): string => `${field} invalid: kept as unknown`;

export type RowVerdict =
  | { ok: true; row: PanelRow; fixes: CovariateFix[] }
  | { ok: false; field: string; kind: PanelRefusal; message: string };

const refuse = (field: string, kind: PanelRefusal, message: string): RowVerdict => ({ ok: false, field, kind, message });

/** Validates one panel row's fields (a missing optional column reads as empty). */
export function checkPanelRow(
  fields: Record<string, string | undefined>,
  codes: ReadonlySet<string>,
  taxonomy: LabelSetId,
): RowVerdict {
  const get = (c: PanelColumn): string => fields[c] ?? "";
  const personId = get("person_id");
  if (!personId) return refuse("person_id", "person_id missing", "person_id is empty");

  const yearText = get("year");
  if (!yearText) return refuse("year", "year missing", "year is empty");
  const year = parseInteger(yearText);
  if (year === undefined) return refuse("year", "year not an integer", `year ${JSON.stringify(yearText)} is not an integer`);
  if (!inYearRange(year)) {
    return refuse("year", "year out of range", `year ${year} is outside ${YEAR_RANGE.min}-${YEAR_RANGE.max}`);
  }

  const occupation = get("occupation");
  if (!occupation) return refuse("occupation", "occupation missing", "occupation is empty");
  if (!codes.has(occupation)) {
    return refuse(
      "occupation",
      "occupation not in taxonomy",
      `occupation ${JSON.stringify(occupation)} is not a code of ${taxonomy} (its occupations and the special states it takes)`,
    );
  }

  const person: Person = {};
  const fixes: CovariateFix[] = [];
  const unknown = (field: PersonField, message: string) => fixes.push({ field, kind: unknownCovariateFix(field), message: `${message}: kept as unknown` });
  const birthText = get("birth_year");
  if (birthText) {
    const birth = parseInteger(birthText);
    if (birth === undefined) unknown("birth_year", `birth_year ${JSON.stringify(birthText)} is not an integer`);
    else if (!inYearRange(birth)) unknown("birth_year", `birth_year ${birth} is outside ${YEAR_RANGE.min}-${YEAR_RANGE.max}`);
    else if (birth > year) unknown("birth_year", `birth_year ${birth} is after year ${year}`);
    else person.birth_year = birth;
  }
  for (const field of ["sex", "race", "education", "region"] as const) {
    const value = get(field);
    if (!value) continue;
    const vocabulary: readonly string[] = VOCABULARIES[field];
    if (vocabulary.includes(value)) (person as Record<string, string>)[field] = value;
    else unknown(field, `${field} ${JSON.stringify(value)} is not one of: ${vocabulary.join(", ")}`);
  }
  return { ok: true, row: { personId, year, occupation, person }, fixes };
}
