// Hand-built features of the multinomial logit baseline: previous state, age, education, years in the
// current state, race, sex, calendar year and the gap to the predicted year. Sparse: a list of active
// feature indices with values. Shared by training (scripts/) and serving (functions/).
import { EDUCATION_LEVELS, RACES, SEXES } from "../career.ts";
import type { LabelSet } from "../taxonomy.ts";
import type { PredictionContext } from "./types.ts";

const AGE_EDGES = [20, 25, 30, 35, 40, 45, 50, 55, 60]; // buckets: <20, 20-24, ..., 60+
const TENURE_EDGES = [1, 2, 3, 5, 10]; // years in current state: 0, 1, 2, 3-4, 5-9, 10+
const GAP_EDGES = [2, 3]; // years to the predicted year: 1, 2, 3+

function bucket(value: number, edges: readonly number[]): number {
  let b = 0;
  while (b < edges.length && value >= edges[b]!) b++;
  return b;
}

export interface SparseFeatures {
  index: number[];
  value: number[];
}

/** Feature layout for a label set; the last slot of every categorical block means "unknown". */
export class LogitFeatures {
  readonly size: number;
  private readonly offsets: Record<string, number>;
  private readonly labels: LabelSet;

  constructor(labels: LabelSet) {
    this.labels = labels;
    const blocks: [string, number][] = [
      ["bias", 1],
      ["previous", labels.size],
      ["age", AGE_EDGES.length + 2],
      ["education", EDUCATION_LEVELS.length + 1],
      ["tenure", TENURE_EDGES.length + 1],
      ["race", RACES.length + 1],
      ["sex", SEXES.length + 1],
      ["gap", GAP_EDGES.length + 1],
      ["year", 1],
    ];
    this.offsets = {};
    let offset = 0;
    for (const [name, width] of blocks) {
      this.offsets[name] = offset;
      offset += width;
    }
    this.size = offset;
  }

  /** First index of a block ("bias", "previous", "age", ...). */
  offset(block: string): number {
    const o = this.offsets[block];
    if (o === undefined) throw new Error(`no feature block ${block}`);
    return o;
  }

  of(ctx: PredictionContext): SparseFeatures {
    const { person, history, nextYear } = ctx;
    const last = history[history.length - 1]!;
    let spellStart = history.length - 1;
    while (spellStart > 0 && history[spellStart - 1]!.occupation === last.occupation) spellStart--;
    const age = person.birth_year === undefined ? undefined : nextYear - person.birth_year;
    const o = this.offsets;
    const index = [
      o.bias!,
      o.previous! + this.labels.index(last.occupation),
      o.age! + (age === undefined ? AGE_EDGES.length + 1 : bucket(age, AGE_EDGES)),
      // Education as of the last observed year where the panel records it by year (NLSY79), else the person's.
      o.education! + categorical(EDUCATION_LEVELS, last.education ?? person.education),
      o.tenure! + bucket(last.year - history[spellStart]!.year, TENURE_EDGES),
      o.race! + categorical(RACES, person.race),
      o.sex! + categorical(SEXES, person.sex),
      o.gap! + bucket(nextYear - last.year, GAP_EDGES),
      o.year!,
    ];
    const value = index.map(() => 1);
    value[value.length - 1] = (nextYear - 1980) / 20; // calendar year, centred and scaled
    return { index, value };
  }
}

function categorical<T extends string>(vocabulary: readonly T[], value: T | undefined): number {
  return value === undefined ? vocabulary.length : vocabulary.indexOf(value);
}
