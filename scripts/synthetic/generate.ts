// Generates a synthetic panel from the synthetic career world: people drawn from stated population
// shares, each year's state sampled from exactly trueDistribution(world, ctx).
// CLI: node_modules/.bin/node scripts/synthetic/generate.ts --people 2000 --seed 1 --out FILE.csv
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EDUCATION_LEVELS, RACES, type Career, type CareerYear, type Person, type Region } from "../../core/career.ts";
import { writePanelCsv } from "../panel/panel-csv.ts";
import type { Panel } from "../panel/types.ts";
import type { PredictionContext } from "../../core/predictors/types.ts";
import { buildWorld, SPECIAL, trueDistribution, type World } from "./world.ts";
import { createRng, sampleIndex, uniformInt } from "./prng.ts";

/** Who the synthetic people are and how long they are observed (docs/synthetic-world.md, "Population"). */
export const POPULATION = {
  birthYears: [1940, 1990] as const,
  femaleShare: 0.5,
  /** RACES order: white, black, hispanic, asian, other. */
  raceShares: [0.62, 0.13, 0.17, 0.06, 0.02],
  /** EDUCATION_LEVELS order. */
  educationShares: [0.12, 0.3, 0.26, 0.21, 0.11],
  regions: ["northeast", "midwest", "south", "west"] as readonly Region[],
  regionShares: [0.17, 0.21, 0.38, 0.24],
  startAge: [16, 22] as const,
  careerYears: [8, 30] as const,
  lastYear: 2024,
};

/** A person, the first observed year and the number of observed years. */
export function samplePerson(rng: () => number): { person: Required<Person>; start: number; years: number } {
  const birth_year = uniformInt(rng, POPULATION.birthYears[0], POPULATION.birthYears[1]);
  const person: Required<Person> = {
    birth_year,
    sex: rng() < POPULATION.femaleShare ? "female" : "male",
    race: RACES[sampleIndex(rng, POPULATION.raceShares)]!,
    education: EDUCATION_LEVELS[sampleIndex(rng, POPULATION.educationShares)]!,
    region: POPULATION.regions[sampleIndex(rng, POPULATION.regionShares)]!,
  };
  const start = birth_year + uniformInt(rng, POPULATION.startAge[0], POPULATION.startAge[1]);
  const years = Math.min(uniformInt(rng, POPULATION.careerYears[0], POPULATION.careerYears[1]), POPULATION.lastYear - start + 1);
  return { person, start, years };
}

/** One draw of the next state's code from exactly trueDistribution(world, ctx). */
export function sampleNext(world: World, rng: () => number, ctx: PredictionContext): string {
  return world.labels.labels[sampleIndex(rng, trueDistribution(world, ctx))]!.code;
}

/** One career: the first year from the entry distribution (empty history), every later year from the
 * true next-step distribution given everything before it. */
export function sampleCareer(world: World, rng: () => number, id: string): Career {
  const { person, start, years } = samplePerson(rng);
  const history: CareerYear[] = [];
  for (let year = start; year < start + years; year++) {
    history.push({ year, occupation: sampleNext(world, rng, { person, history, nextYear: year }) });
  }
  return { id, person, history };
}

export function generateSyntheticPanel(opts: { people: number; seed: number }, world: World = buildWorld()): Panel {
  const rng = createRng(opts.seed);
  const careers: Career[] = [];
  for (let k = 1; k <= opts.people; k++) careers.push(sampleCareer(world, rng, `s${String(k).padStart(6, "0")}`));
  const personYears = careers.reduce((n, c) => n + c.history.length, 0);
  return {
    source: "synthetic",
    taxonomy: "occ1990dd",
    specialStates: [...SPECIAL],
    careers,
    report: {
      file: `generated:seed=${opts.seed}`,
      rows: personYears,
      kept: personYears,
      fixed: {},
      refused: {},
      issues: [],
      people: careers.length,
      personYears,
    },
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { people: { type: "string", default: "2000" }, seed: { type: "string", default: "1" }, out: { type: "string" } },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  if (!Number.isInteger(people) || people < 1) throw new Error(`--people must be a positive integer`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer`);
  if (!values.out) throw new Error("usage: generate.ts --people N --seed S --out FILE.csv");
  const t0 = performance.now();
  const panel = generateSyntheticPanel({ people, seed });
  writePanelCsv(panel, values.out);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.error(`wrote ${values.out}: ${panel.report.people} people, ${panel.report.personYears} person-years (${s} s)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
