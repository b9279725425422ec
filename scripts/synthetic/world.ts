// The synthetic fine-grained career world: a stated stochastic process over occ1990dd codes and the
// special states EDU, UNEMP and NILF, in which the next year's state depends only on what is observed
// (the person, the full history so far, and the year being predicted). trueDistribution() is that
// process; the generator samples every step from it, so the probability of each observed next step is
// known exactly and the Bayes-optimal perplexity of any set of person-years can be computed.
// docs/synthetic-world.md states every rule and constant below.
import { LabelSet } from "../../core/taxonomy.ts";
import { EDUCATION_LEVELS, RACES, SEXES, type EducationLevel, type Race } from "../../core/career.ts";
import type { PredictionContext } from "../../core/predictors/types.ts";
import { loadGrounding, type Grounding } from "./grounding.ts";

export const SPECIAL = ["EDU", "UNEMP", "NILF"] as const;

/** U.S. unemployment rate, annual average, percent (BLS CPS series LNU04000000), 1948-2024. Years outside
 * the table use the nearest end. */
export const UNEMPLOYMENT_RATE_FIRST_YEAR = 1948;
export const UNEMPLOYMENT_RATE: readonly number[] = [
  3.8, 5.9, 5.3, 3.3, 3.0, 2.9, 5.5, 4.4, 4.1, 4.3, // 1948-1957
  6.8, 5.5, 5.5, 6.7, 5.5, 5.7, 5.2, 4.5, 3.8, 3.8, // 1958-1967
  3.6, 3.5, 4.9, 5.9, 5.6, 4.9, 5.6, 8.5, 7.7, 7.1, // 1968-1977
  6.1, 5.8, 7.1, 7.6, 9.7, 9.6, 7.5, 7.2, 7.0, 6.2, // 1978-1987
  5.5, 5.3, 5.6, 6.8, 7.5, 6.9, 6.1, 5.6, 5.4, 4.9, // 1988-1997
  4.5, 4.2, 4.0, 4.7, 5.8, 6.0, 5.5, 5.1, 4.6, 4.6, // 1998-2007
  5.8, 9.3, 9.6, 8.9, 8.1, 7.4, 6.2, 5.3, 4.9, 4.4, // 2008-2017
  3.9, 3.7, 8.1, 5.3, 3.6, 3.6, 4.0, // 2018-2024
];

/** Every constant of the process (names follow docs/synthetic-world.md). */
export const PARAMS = {
  /** Reference unemployment rate: cycle factor = rate(year) / this. */
  unemploymentRef: 5.8,
  /** Age at which the initial schooling typically ends, by education level (EDUCATION_LEVELS order). */
  schoolLeavingAge: [17, 19, 21, 23, 25],
  /** P(EDU) while still in initial schooling: before, at, and after the leaving age. */
  schoolStay: { before: 0.92, at: 0.35, after: 0.1 },
  /** Preferred O*NET job zone by education level, and the penalty slopes above and below it. */
  preferredZone: [1.5, 2, 3, 4, 4.8],
  zoneAbove: 1.0,
  zoneBelow: 0.4,
  /** Share of popularity mixed into every move row (gives every code some mass). */
  moveSmoothing: 0.05,
  /** Unemployment risk multipliers. */
  raceUnemp: { white: 1.0, black: 2.0, hispanic: 1.4, asian: 0.9, other: 1.3 } as Record<Race, number>,
  eduUnemp: [1.8, 1.2, 1.0, 0.55, 0.45],
  /** Leaving school (or a later EDU spell) into unemployment / NILF. */
  entryUnemp: 0.1,
  entryUnempMax: 0.5,
  entryNilf: 0.04,
  /** Employed: unemployment hazard (x1.5 in the first year of a job), capped. */
  jobLoss: 0.03,
  jobLossFirstYear: 1.5,
  jobLossMax: 0.15,
  /** NILF hazard: base + family (women, fading with cohort) + retirement (logistic in age). */
  nilfBase: 0.01,
  nilfFamily: 0.06,
  nilfFamilyAge: 28,
  nilfFamilyWidth: 6,
  nilfFamilyCohortEnd: 1990,
  nilfFamilyCohortSpan: 50,
  retireMax: 0.6,
  retireAge: 63,
  retireWidth: 2.5,
  /** Return to school from work (ages <= schoolReturnMaxAge). */
  schoolReturnWork: 0.01,
  schoolReturnMaxAge: 30,
  /** Occupation switch: moveBase * exp(-(max(a,18)-18)/moveAgeScale) * (1-moveTenure + moveTenure/d). */
  moveBase: 0.25,
  moveAgeScale: 20,
  moveTenure: 0.5,
  /** Share of switches that return to an earlier occupation (when there is one). */
  returnShare: 0.3,
  /** Return weights: years held * returnDecay^(years since last held - 1). */
  returnDecay: 0.8,
  /** Unemployed: stay = min(unempStayMax, (unempStay + unempStayDur*min(d-1,3)) * sqrt(cycle)). */
  unempStay: 0.25,
  unempStayDur: 0.08,
  unempStayMax: 0.6,
  unempToNilf: 0.06,
  unempToEdu: 0.04,
  unempRecall: 0.4,
  /** NILF: stay = 1 - (1 - s0(d)) * (1 - nilfRetireStay * logistic((a - nilfRetireAge)/retireWidth)). */
  nilfStay: 0.55,
  nilfStayDur: 0.1,
  nilfStayMax: 0.85,
  nilfRetireStay: 0.95,
  nilfRetireAge: 60,
  nilfToUnemp: 0.25,
  nilfToEdu: 0.1,
  nilfRecall: 0.35,
  /** A later EDU spell (not the initial schooling): stay in the first year / after. */
  eduStayFirst: 0.45,
  eduStayLater: 0.2,
  eduRecall: 0.2,
  /** Re-employment: share going to an earlier occupation other than the last one (when there is one). */
  reentryEarlier: 0.15,
  /** Cap on the sum of exit probabilities of a state (never binds below age 90). */
  maxExit: 0.98,
} as const;

export interface World {
  labels: LabelSet;
  grounding: Grounding;
  /** Number of occupation labels (they come first in `labels`). */
  nOcc: number;
  indexEDU: number;
  indexUNEMP: number;
  indexNILF: number;
  /** Job-zone compatibility per education level and occupation: compat[e * nOcc + j]. */
  compat: Float64Array;
  /** Entry distribution over occupations per education level: entry[e * nOcc + j], rows sum to 1. */
  entry: Float64Array;
  /** Move distribution out of occupation c for education e: move[(e * nOcc + c) * nOcc + j], rows sum to 1,
   * zero at j = c. */
  move: Float64Array;
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

export function buildWorld(): World {
  const grounding = loadGrounding();
  const labels = LabelSet.of("occ1990dd", [...SPECIAL]);
  const nOcc = grounding.codes.length;
  grounding.codes.forEach((c, i) => {
    if (labels.labels[i]!.code !== c) throw new Error(`label ${i} is ${labels.labels[i]!.code}, expected ${c}`);
  });
  const nEdu = EDUCATION_LEVELS.length;
  const compat = new Float64Array(nEdu * nOcc);
  const entry = new Float64Array(nEdu * nOcc);
  const move = new Float64Array(nEdu * nOcc * nOcc);
  let popTotal = 0;
  for (const p of grounding.popularity) popTotal += p;
  for (let e = 0; e < nEdu; e++) {
    const zs = PARAMS.preferredZone[e]!;
    for (let j = 0; j < nOcc; j++) {
      const z = grounding.jobZone[j]!;
      const above = Math.max(0, z - zs);
      const below = Math.max(0, zs - z);
      compat[e * nOcc + j] = Math.exp(-PARAMS.zoneAbove * above * above - PARAMS.zoneBelow * below * below);
    }
    let total = 0;
    for (let j = 0; j < nOcc; j++) total += (entry[e * nOcc + j] = grounding.popularity[j]! * compat[e * nOcc + j]!);
    for (let j = 0; j < nOcc; j++) entry[e * nOcc + j]! /= total;
    for (let c = 0; c < nOcc; c++) {
      const base = (e * nOcc + c) * nOcc;
      let rowTotal = 0;
      for (let j = 0; j < nOcc; j++) {
        if (j === c) continue;
        const w =
          ((1 - PARAMS.moveSmoothing) * grounding.moves[c * nOcc + j]! +
            (PARAMS.moveSmoothing * grounding.popularity[j]!) / popTotal) *
          compat[e * nOcc + j]!;
        move[base + j] = w;
        rowTotal += w;
      }
      for (let j = 0; j < nOcc; j++) move[base + j]! /= rowTotal;
    }
  }
  return {
    labels,
    grounding,
    nOcc,
    indexEDU: labels.index("EDU"),
    indexUNEMP: labels.index("UNEMP"),
    indexNILF: labels.index("NILF"),
    compat,
    entry,
    move,
  };
}

/** Cycle factor of a calendar year: unemployment rate / reference. */
export function cycleFactor(year: number): number {
  const i = Math.min(UNEMPLOYMENT_RATE.length - 1, Math.max(0, year - UNEMPLOYMENT_RATE_FIRST_YEAR));
  return UNEMPLOYMENT_RATE[i]! / PARAMS.unemploymentRef;
}

/** The NILF hazard of an employed person: base + family term (women of earlier cohorts) + retirement. */
export function nilfHazard(age: number, female: boolean, birthYear: number): number {
  const cohort = Math.min(1, Math.max(0, (PARAMS.nilfFamilyCohortEnd - birthYear) / PARAMS.nilfFamilyCohortSpan));
  const x = (age - PARAMS.nilfFamilyAge) / PARAMS.nilfFamilyWidth;
  const family = female ? PARAMS.nilfFamily * cohort * Math.exp(-x * x) : 0;
  return PARAMS.nilfBase + family + retirement(age);
}

function retirement(age: number): number {
  return PARAMS.retireMax * logistic((age - PARAMS.retireAge) / PARAMS.retireWidth);
}

/** The observed person, checked: every field is required by the synthetic world. */
interface Who {
  age: number;
  edu: number;
  female: boolean;
  birthYear: number;
  /** Unemployment risk: cycle factor * race multiplier * education multiplier. */
  unempRisk: number;
}

function who(ctx: PredictionContext): Who {
  const p = ctx.person;
  if (p.birth_year === undefined || p.sex === undefined || p.race === undefined || p.education === undefined) {
    throw new Error("the synthetic world needs birth_year, sex, race and education");
  }
  const edu = EDUCATION_LEVELS.indexOf(p.education as EducationLevel);
  if (edu < 0) throw new Error(`unknown education ${p.education}`);
  if (!SEXES.includes(p.sex) || !RACES.includes(p.race)) throw new Error(`unknown sex or race`);
  return {
    age: ctx.nextYear - p.birth_year,
    edu,
    female: p.sex === "female",
    birthYear: p.birth_year,
    unempRisk: cycleFactor(ctx.nextYear) * PARAMS.raceUnemp[p.race] * PARAMS.eduUnemp[edu]!,
  };
}

/** What the process reads from the history. */
interface Past {
  /** Label index of the last state, or -1 for an empty history. */
  last: number;
  /** Number of trailing entries equal to the last state. */
  run: number;
  /** True when every entry is EDU (or the history is empty): still in the initial schooling. */
  schooling: boolean;
  /** Label index of the most recent occupation, or -1. */
  lastOcc: number;
  /** Occupations held: label index -> [years held, last year held]. */
  held: Map<number, [number, number]>;
}

function readPast(world: World, ctx: PredictionContext): Past {
  const h = ctx.history;
  const held = new Map<number, [number, number]>();
  let schooling = true;
  let lastOcc = -1;
  let last = -1;
  let run = 0;
  for (const step of h) {
    const i = world.labels.index(step.occupation);
    if (i !== world.indexEDU) schooling = false;
    if (i < world.nOcc) {
      lastOcc = i;
      const e = held.get(i);
      if (e) {
        e[0]++;
        e[1] = step.year;
      } else held.set(i, [1, step.year]);
    }
    run = i === last ? run + 1 : 1;
    last = i;
  }
  return { last, run, schooling, lastOcc, held };
}

/** Adds weight * (return distribution over earlier occupations other than `exclude`) to p; returns false
 * (adding nothing) when there is no such occupation. */
function addReturns(p: Float64Array, weight: number, past: Past, exclude: number, nextYear: number): boolean {
  let total = 0;
  for (const [j, [n, lastYear]] of past.held) {
    if (j !== exclude) total += n * Math.pow(PARAMS.returnDecay, Math.max(0, nextYear - lastYear - 1));
  }
  if (total === 0) return false;
  for (const [j, [n, lastYear]] of past.held) {
    if (j !== exclude) p[j]! += (weight * n * Math.pow(PARAMS.returnDecay, Math.max(0, nextYear - lastYear - 1))) / total;
  }
  return true;
}

function addRow(p: Float64Array, weight: number, source: Float64Array, offset: number, n: number): void {
  for (let j = 0; j < n; j++) p[j]! += weight * source[offset + j]!;
}

function addEntry(world: World, p: Float64Array, weight: number, edu: number): void {
  addRow(p, weight, world.entry, edu * world.nOcc, world.nOcc);
}

function addMove(world: World, p: Float64Array, weight: number, edu: number, from: number): void {
  addRow(p, weight, world.move, (edu * world.nOcc + from) * world.nOcc, world.nOcc);
}

/** Re-employment after UNEMP, NILF or a later EDU spell: recall to the last occupation, else an earlier one,
 * else a move out of the last occupation; a person who never worked draws from the entry distribution. */
function addReemployment(world: World, p: Float64Array, weight: number, w: Who, past: Past, recall: number, nextYear: number): void {
  if (past.lastOcc < 0) {
    addEntry(world, p, weight, w.edu);
    return;
  }
  p[past.lastOcc]! += weight * recall;
  let rest = weight * (1 - recall);
  if (addReturns(p, rest * PARAMS.reentryEarlier, past, past.lastOcc, nextYear)) rest *= 1 - PARAMS.reentryEarlier;
  addMove(world, p, rest, w.edu, past.lastOcc);
}

/** Leaving school (initial or later spell) into the labour market: UNEMP, NILF or a job. */
function addSchoolExit(world: World, p: Float64Array, weight: number, w: Who, past: Past, recall: number, nextYear: number): void {
  const unemp = Math.min(PARAMS.entryUnempMax, PARAMS.entryUnemp * w.unempRisk);
  p[world.indexUNEMP]! += weight * unemp;
  p[world.indexNILF]! += weight * PARAMS.entryNilf;
  addReemployment(world, p, weight * (1 - unemp - PARAMS.entryNilf), w, past, recall, nextYear);
}

/** Scales the given probabilities down (in place) so they sum to at most maxExit; returns 1 - their sum. */
function capExits(exits: number[]): number {
  const total = exits.reduce((a, b) => a + b, 0);
  if (total > PARAMS.maxExit) for (let i = 0; i < exits.length; i++) exits[i]! *= PARAMS.maxExit / total;
  return 1 - Math.min(total, PARAMS.maxExit);
}

/**
 * The true probability of every label for the year ctx.nextYear, given the person and the full history.
 * An empty history gives the distribution of the first observed year (the entry distribution).
 */
export function trueDistribution(world: World, ctx: PredictionContext): Float64Array {
  const w = who(ctx);
  const past = readPast(world, ctx);
  const p = new Float64Array(world.labels.size);
  const a = w.age;
  const Y = ctx.nextYear;
  const young = a <= PARAMS.schoolReturnMaxAge;

  if (past.schooling) {
    // Initial schooling (or the first observed year).
    const leave = PARAMS.schoolLeavingAge[w.edu]!;
    const stay = a < leave ? PARAMS.schoolStay.before : a === leave ? PARAMS.schoolStay.at : PARAMS.schoolStay.after;
    p[world.indexEDU]! += stay;
    addSchoolExit(world, p, 1 - stay, w, past, 0, Y);
  } else if (past.last < world.nOcc) {
    // Employed in occupation o for `run` years.
    const o = past.last;
    const d = past.run;
    const ageM = Math.max(a, 18) - 18;
    const exits = [
      Math.min(PARAMS.jobLossMax, PARAMS.jobLoss * w.unempRisk * (d === 1 ? PARAMS.jobLossFirstYear : 1)),
      nilfHazard(a, w.female, w.birthYear),
      young ? PARAMS.schoolReturnWork : 0,
      PARAMS.moveBase * Math.exp(-ageM / PARAMS.moveAgeScale) * (1 - PARAMS.moveTenure + PARAMS.moveTenure / d),
    ];
    const stay = capExits(exits);
    p[o]! += stay;
    p[world.indexUNEMP]! += exits[0]!;
    p[world.indexNILF]! += exits[1]!;
    p[world.indexEDU]! += exits[2]!;
    let moveW = exits[3]!;
    if (addReturns(p, moveW * PARAMS.returnShare, past, o, Y)) moveW *= 1 - PARAMS.returnShare;
    addMove(world, p, moveW, w.edu, o);
  } else if (past.last === world.indexUNEMP) {
    const d = past.run;
    const stay = Math.min(
      PARAMS.unempStayMax,
      (PARAMS.unempStay + PARAMS.unempStayDur * Math.min(d - 1, 3)) * Math.sqrt(cycleFactor(Y)),
    );
    const parts = [
      stay,
      PARAMS.unempToNilf + nilfHazard(a, w.female, w.birthYear) - PARAMS.nilfBase,
      young ? PARAMS.unempToEdu : 0,
    ];
    const left = capExits(parts);
    p[world.indexUNEMP]! += parts[0]!;
    p[world.indexNILF]! += parts[1]!;
    p[world.indexEDU]! += parts[2]!;
    addReemployment(world, p, left, w, past, PARAMS.unempRecall, Y);
  } else if (past.last === world.indexNILF) {
    const d = past.run;
    const s0 = Math.min(PARAMS.nilfStayMax, PARAMS.nilfStay + PARAMS.nilfStayDur * (d - 1));
    const stay = 1 - (1 - s0) * (1 - PARAMS.nilfRetireStay * logistic((a - PARAMS.nilfRetireAge) / PARAMS.retireWidth));
    const leave = 1 - stay;
    const edu = young ? PARAMS.nilfToEdu : 0;
    p[world.indexNILF]! += stay;
    p[world.indexUNEMP]! += leave * PARAMS.nilfToUnemp;
    p[world.indexEDU]! += leave * edu;
    addReemployment(world, p, leave * (1 - PARAMS.nilfToUnemp - edu), w, past, PARAMS.nilfRecall, Y);
  } else {
    // A later EDU spell (after work, unemployment or NILF).
    const stay = past.run === 1 ? PARAMS.eduStayFirst : PARAMS.eduStayLater;
    p[world.indexEDU]! += stay;
    addSchoolExit(world, p, 1 - stay, w, past, PARAMS.eduRecall, Y);
  }

  // The branches above already sum to 1 exactly (up to rounding); a larger gap means a broken rule.
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i]!;
  if (Math.abs(total - 1) > 1e-9) throw new Error(`synthetic world: probabilities sum to ${total}`);
  for (let i = 0; i < p.length; i++) p[i]! /= total;
  return p;
}
