// The compact input of the career edge model: one step per observed year (its state, calendar year and
// schooling, and the year of the state that follows) plus the person's fixed covariates, all as indices. One
// encoder writes the training records (scripts/corpus.ts) and the edge's inputs (core/small-model.ts), so
// training and serving see the same numbers for the same person.
import { EDUCATION_LEVELS, RACES, REGIONS, SEXES, type CareerYear, type Person } from "./career.ts";
import type { LabelSet } from "./taxonomy.ts";

/** Category counts of each covariate, the last index of each meaning "not known". */
export const CAREER_VOCAB = {
  education: EDUCATION_LEVELS.length + 1,
  sex: SEXES.length + 1,
  race: RACES.length + 1,
  region: REGIONS.length + 1,
} as const;

export interface CareerSteps {
  /** Label index of each observed year's state. */
  states: number[];
  years: number[];
  /** Schooling index as of each year (the year's own where the panel records it by year, else the person's). */
  education: number[];
  /** The year of the state each step predicts: the next observed year, and for the last step the year asked
   *  (in a training record, one year after the last, never read). */
  next_years: number[];
  /** sex, race, region (indices) and birth year (0: not known). */
  person: [number, number, number, number];
}

const categorical = <T extends string>(vocabulary: readonly T[], value: T | undefined): number =>
  value === undefined ? vocabulary.length : vocabulary.indexOf(value);

/** `nextYear`: the year asked at serving time; omitted for a training record (every step's target is known). */
export function careerSteps(person: Person, history: readonly CareerYear[], labels: LabelSet, nextYear?: number): CareerSteps {
  const years = history.map((h) => h.year);
  return {
    states: history.map((h) => labels.index(h.occupation)),
    years,
    education: history.map((h) => categorical(EDUCATION_LEVELS, h.education ?? person.education)),
    next_years: [...years.slice(1), nextYear ?? years[years.length - 1]! + 1],
    person: [categorical(SEXES, person.sex), categorical(RACES, person.race), categorical(REGIONS, person.region), person.birth_year ?? 0],
  };
}
