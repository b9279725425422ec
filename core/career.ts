// The shape of a career: who the person is (all fields optional) and what they did each observed year.
// Vocabularies here are the canonical values used by the panel schema, the resume text and the API.

export const SEXES = ["female", "male"] as const;
export const RACES = ["white", "black", "hispanic", "asian", "other"] as const;
/** Highest level of schooling completed, coarsened as in the LABOR-LLM resume header. */
export const EDUCATION_LEVELS = [
  "less than high school",
  "high school",
  "some college",
  "bachelor's degree",
  "graduate degree",
] as const;
/** U.S. Census regions, plus "non-south" for panels (nlswork) that only record south or not. */
export const REGIONS = ["northeast", "midwest", "south", "west", "non-south"] as const;

export type Sex = (typeof SEXES)[number];
export type Race = (typeof RACES)[number];
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export type Region = (typeof REGIONS)[number];

export interface Person {
  birth_year?: number;
  sex?: Sex;
  race?: Race;
  education?: EducationLevel;
  region?: Region;
}

export interface CareerYear {
  year: number;
  /** A label code of the taxonomy or a special state code (EDU, UNEMP, NILF, NOWORK). */
  occupation: string;
  /** Highest schooling as of this year, for panels that record it by year (it changes over a career); the
   *  resume states it after the year's line whenever it differs from what was last stated. */
  education?: EducationLevel;
}

/** One person's observed career, years strictly increasing (gaps allowed). */
export interface Career {
  id: string;
  person: Person;
  history: CareerYear[];
}
