// Numbers that describe a synthetic panel and its Bayes-optimal score, for docs/synthetic-world.md.
// node_modules/.bin/node scripts/synthetic/stats.ts [--people 20000] [--seed 1] [--json]
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EDUCATION_LEVELS } from "../../core/career.ts";
import type { Panel } from "../panel/types.ts";
import { buildWorld, trueDistribution, type World } from "./world.ts";
import { generateSyntheticPanel } from "./generate.ts";

export interface PanelStats {
  people: number;
  personYears: number;
  meanCareerYears: number;
  /** Share of all person-years in each special state, and in any occupation. */
  stateShares: Record<string, number>;
  distinctOccupations: number;
  /** Among non-first person-years. */
  scoredYears: number;
  stayShare: number;
  /** Occupation -> different occupation moves, and the share of them that go to an occupation held before. */
  occupationSwitches: number;
  switchReturnShare: number;
  /** Entries into an occupation from UNEMP/NILF/EDU, and the share that return to one held before. */
  reentries: number;
  reentryReturnShare: number;
  /** Mean O*NET job zone of occupation-years by education level. */
  meanJobZoneByEducation: Record<string, number>;
  /** exp(mean -log p_true(observed | past)) over the non-first person-years. */
  bayesPerplexity: number;
  /** Share of non-first person-years where the observed state is the most probable label. */
  bayesTop1: number;
  /** Bayes-optimal perplexity and number of person-years, by the previous year's state. */
  bayesPerplexityByPrevious: Record<string, { years: number; perplexity: number }>;
  /** Youngest and oldest age observed. */
  ageRange: [number, number];
}

export function panelStats(world: World, panel: Panel): PanelStats {
  const counts = new Map<string, number>();
  const occSeen = new Set<string>();
  let scored = 0;
  let stays = 0;
  let switches = 0;
  let switchReturns = 0;
  let reentries = 0;
  let reentryReturns = 0;
  let nll = 0;
  let top1 = 0;
  const zoneSum = new Map<string, [number, number]>();
  const byPrev = new Map<string, [number, number]>();
  let minAge = Infinity;
  let maxAge = -Infinity;
  for (const c of panel.careers) {
    minAge = Math.min(minAge, c.history[0]!.year - c.person.birth_year!);
    maxAge = Math.max(maxAge, c.history[c.history.length - 1]!.year - c.person.birth_year!);
    const heldBefore = new Set<string>();
    c.history.forEach((h, t) => {
      const isOcc = !world.labels.specialStates().includes(h.occupation as never);
      counts.set(isOcc ? "occupation" : h.occupation, (counts.get(isOcc ? "occupation" : h.occupation) ?? 0) + 1);
      if (isOcc) {
        occSeen.add(h.occupation);
        const z = zoneSum.get(c.person.education!) ?? [0, 0];
        z[0] += world.grounding.jobZone[world.labels.index(h.occupation)]!;
        z[1]++;
        zoneSum.set(c.person.education!, z);
      }
      if (t > 0) {
        scored++;
        const prev = c.history[t - 1]!.occupation;
        const prevIsOcc = world.labels.index(prev) < world.nOcc;
        if (prev === h.occupation) stays++;
        else if (isOcc && prevIsOcc) {
          switches++;
          if (heldBefore.has(h.occupation)) switchReturns++;
        } else if (isOcc) {
          reentries++;
          if (heldBefore.has(h.occupation)) reentryReturns++;
        }
        const p = trueDistribution(world, { person: c.person, history: c.history.slice(0, t), nextYear: h.year });
        const i = world.labels.index(h.occupation);
        nll -= Math.log(p[i]!);
        const key = prevIsOcc ? "occupation" : prev;
        const b = byPrev.get(key) ?? [0, 0];
        b[0]++;
        b[1] -= Math.log(p[i]!);
        byPrev.set(key, b);
        let best = 0;
        for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
        if (best === i) top1++;
      }
      if (isOcc) heldBefore.add(h.occupation);
    });
  }
  const py = panel.report.personYears;
  const shares: Record<string, number> = {};
  for (const k of ["occupation", ...world.labels.specialStates()]) shares[k] = (counts.get(k) ?? 0) / py;
  const zones: Record<string, number> = {};
  for (const e of EDUCATION_LEVELS) {
    const z = zoneSum.get(e);
    if (z) zones[e] = z[0] / z[1];
  }
  return {
    people: panel.careers.length,
    personYears: py,
    meanCareerYears: py / panel.careers.length,
    stateShares: shares,
    distinctOccupations: occSeen.size,
    scoredYears: scored,
    stayShare: stays / scored,
    occupationSwitches: switches,
    switchReturnShare: switchReturns / switches,
    reentries,
    reentryReturnShare: reentryReturns / reentries,
    meanJobZoneByEducation: zones,
    bayesPerplexity: Math.exp(nll / scored),
    bayesTop1: top1 / scored,
    bayesPerplexityByPrevious: Object.fromEntries(
      [...byPrev].map(([k, [n, l]]) => [k, { years: n, perplexity: Math.exp(l / n) }]),
    ),
    ageRange: [minAge, maxAge],
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { people: { type: "string", default: "20000" }, seed: { type: "string", default: "1" }, json: { type: "boolean" } },
  });
  const t0 = performance.now();
  const world = buildWorld();
  const t1 = performance.now();
  const panel = generateSyntheticPanel({ people: Number(values.people), seed: Number(values.seed) }, world);
  const t2 = performance.now();
  const stats = panelStats(world, panel);
  const t3 = performance.now();
  const timing = { buildWorldS: (t1 - t0) / 1000, generateS: (t2 - t1) / 1000, scoreS: (t3 - t2) / 1000 };
  if (values.json) console.log(JSON.stringify({ seed: Number(values.seed), ...stats, timing }, null, 2));
  else {
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
    console.log(`synthetic panel, seed ${values.seed}: ${stats.people} people, ${stats.personYears} person-years`);
    console.log(`mean career length        ${stats.meanCareerYears.toFixed(2)} years`);
    for (const [k, v] of Object.entries(stats.stateShares)) console.log(`share ${k.padEnd(19)} ${pct(v)}`);
    console.log(`distinct occupations      ${stats.distinctOccupations}`);
    console.log(`stays (non-first years)   ${pct(stats.stayShare)}`);
    console.log(`occupation switches       ${stats.occupationSwitches}, returns ${pct(stats.switchReturnShare)}`);
    console.log(`re-entries into work      ${stats.reentries}, to an earlier occupation ${pct(stats.reentryReturnShare)}`);
    for (const [e, z] of Object.entries(stats.meanJobZoneByEducation)) console.log(`job zone | ${e.padEnd(21)} ${z.toFixed(2)}`);
    console.log(`Bayes-optimal perplexity  ${stats.bayesPerplexity.toFixed(4)} over ${stats.scoredYears} non-first person-years`);
    for (const [k, v] of Object.entries(stats.bayesPerplexityByPrevious)) {
      console.log(`  after ${k.padEnd(18)} ${v.perplexity.toFixed(4)} over ${v.years}`);
    }
    console.log(`Bayes top-1 accuracy      ${pct(stats.bayesTop1)}`);
    console.log(`ages observed             ${stats.ageRange[0]}-${stats.ageRange[1]}`);
    console.log(`time: buildWorld ${timing.buildWorldS.toFixed(2)} s, generate ${timing.generateS.toFixed(2)} s, score ${timing.scoreS.toFixed(2)} s`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
