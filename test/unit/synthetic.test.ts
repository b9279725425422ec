// The synthetic career world: a seeded generator whose every step is drawn from a stated distribution.
import { describe, it, expect, beforeAll } from "vitest";
import type { Career, Person } from "../../core/career.ts";
import type { PredictionContext } from "../../core/predictors/types.ts";
import { buildWorld, trueDistribution, type World } from "../../scripts/synthetic/world.ts";
import {
  generateSyntheticPanel,
  sampleNext,
  samplePerson,
  POPULATION,
} from "../../scripts/synthetic/generate.ts";
import { createRng, sampleIndex } from "../../scripts/synthetic/prng.ts";
import type { Panel } from "../../scripts/panel/types.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { educationByYear, panelCsvText, readPanelCsv, writePanelCsv } from "../../scripts/panel/panel-csv.ts";
import { PANEL_COLUMNS } from "../../scripts/panel/schema.ts";

let world: World;
let panel: Panel;
/** Every scored person-year of the panel with its true distribution, computed once. */
let scored: { ctx: PredictionContext; observed: string; p: Float64Array }[];

beforeAll(() => {
  world = buildWorld();
  panel = generateSyntheticPanel({ people: 1000, seed: 11 }, world);
  scored = [...contexts(panel.careers)].map((s) => ({ ...s, p: trueDistribution(world, s.ctx) }));
});

const person: Required<Person> = {
  birth_year: 1960,
  sex: "female",
  race: "white",
  education: "high school",
  region: "midwest",
};

/** Every (context, observed next) pair of a panel, first years skipped. */
function* contexts(careers: readonly Career[]): Generator<{ ctx: PredictionContext; observed: string }> {
  for (const c of careers) {
    for (let t = 1; t < c.history.length; t++) {
      yield { ctx: { person: c.person, history: c.history.slice(0, t), nextYear: c.history[t]!.year }, observed: c.history[t]!.occupation };
    }
  }
}

const zoneOf = (code: string): number => world.grounding.jobZone[world.labels.index(code)]!;

describe("synthetic world", () => {
  it("has the 341 occ1990dd codes plus EDU, UNEMP, NILF", () => {
    expect(world.labels.size).toBe(344);
    expect(world.labels.taxonomy).toBe("occ1990dd");
    expect(world.labels.codes.slice(-3)).toEqual(["EDU", "UNEMP", "NILF"]);
    // The O*NET graph gives almost every code its own outgoing moves.
    expect(world.grounding.moveSource.filter((s) => s === "onet").length).toBeGreaterThan(330);
  });

  it("gives distributions that are non-negative, sum to 1 and never zero for what happened", () => {
    let n = 0;
    for (const { ctx, observed, p } of scored) {
      let sum = 0;
      for (const x of p) {
        if (!(x >= 0)) throw new Error(`negative or NaN probability in context ${JSON.stringify(ctx)}`);
        sum += x;
      }
      if (Math.abs(sum - 1) > 1e-9) throw new Error(`sum ${sum}`);
      if (!(p[world.labels.index(observed)]! > 0)) throw new Error(`observed ${observed} has p = 0`);
      n++;
    }
    expect(n).toBeGreaterThan(15_000);
  });

  it("refuses a context it cannot score", () => {
    const history = [{ year: 1980, occupation: "4" }];
    expect(() => trueDistribution(world, { person: { birth_year: 1960 }, history, nextYear: 1981 })).toThrow(/needs/);
    expect(() => trueDistribution(world, { person, history: [{ year: 1980, occupation: "nope" }], nextYear: 1981 })).toThrow();
  });

  it("samples the next step from exactly trueDistribution (one fixed context)", () => {
    // A 25-year-old in the first year of a new job, with an earlier job and an unemployment spell.
    const ctx: PredictionContext = {
      person: { ...person, birth_year: 1960 },
      history: [
        { year: 1980, occupation: "EDU" },
        { year: 1981, occupation: "243" },
        { year: 1982, occupation: "243" },
        { year: 1983, occupation: "UNEMP" },
        { year: 1984, occupation: "313" },
      ],
      nextYear: 1985,
    };
    const p = trueDistribution(world, ctx);
    const draws = 60_000;
    const counts = new Float64Array(p.length);
    const rng = createRng(5);
    for (let k = 0; k < draws; k++) counts[world.labels.index(sampleNext(world, rng, ctx))]!++;
    let maxDiff = 0;
    let chi2 = 0;
    let df = -1;
    let restObs = 0;
    let restExp = 0;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === 0) expect(counts[i]).toBe(0);
      maxDiff = Math.max(maxDiff, Math.abs(counts[i]! / draws - p[i]!));
      const e = p[i]! * draws;
      if (e >= 5) {
        chi2 += (counts[i]! - e) ** 2 / e;
        df++;
      } else {
        restObs += counts[i]!;
        restExp += e;
      }
    }
    chi2 += (restObs - restExp) ** 2 / restExp;
    df++;
    expect(df).toBeGreaterThan(10);
    expect(maxDiff).toBeLessThan(0.01);
    // chi-square with df degrees of freedom: mean df, sd sqrt(2 df); 6 sd is far beyond chance.
    expect(chi2).toBeLessThan(df + 6 * Math.sqrt(2 * df));
  });

  it("generates each step by one draw from trueDistribution of the true past (exact replay)", () => {
    // Replaying the seed: the person comes from samplePerson, then every year is exactly one uniform
    // turned into a label by sampleIndex over trueDistribution(world, person, history so far, year).
    const rng = createRng(11);
    for (const c of panel.careers.slice(0, 300)) {
      const { person: who, start, years } = samplePerson(rng);
      expect(who).toEqual(c.person);
      expect(c.history.length).toBe(years);
      c.history.forEach((h, t) => {
        expect(h.year).toBe(start + t);
        const p = trueDistribution(world, { person: who, history: c.history.slice(0, t), nextYear: h.year });
        const code = world.labels.labels[sampleIndex(rng, p)]!.code;
        if (code !== h.occupation) throw new Error(`${c.id} year ${h.year}: replay ${code}, panel ${h.occupation}`);
      });
    }
  });

  it("generates panels whose aggregate outcomes match the true probabilities", () => {
    // Expected vs observed counts of stays, each special state and moves to an occupation held before,
    // over every scored person-year: a generator that scored the wrong history or year would fail.
    const kinds = ["stay", "EDU", "UNEMP", "NILF", "earlier", "new"] as const;
    const obs: Record<string, number> = {};
    const exp: Record<string, number> = {};
    const vari: Record<string, number> = {};
    for (const k of kinds) obs[k] = exp[k] = vari[k] = 0;
    const kindOf = (code: string, history: readonly { occupation: string }[]): (typeof kinds)[number] => {
      if (code === history[history.length - 1]!.occupation) return "stay";
      if (code === "EDU" || code === "UNEMP" || code === "NILF") return code;
      return history.some((h) => h.occupation === code) ? "earlier" : "new";
    };
    for (const { ctx, observed, p } of scored) {
      const byKind: Record<string, number> = {};
      for (const k of kinds) byKind[k] = 0;
      for (let i = 0; i < p.length; i++) if (p[i]! > 0) byKind[kindOf(world.labels.labels[i]!.code, ctx.history)]! += p[i]!;
      for (const k of kinds) {
        exp[k]! += byKind[k]!;
        vari[k]! += byKind[k]! * (1 - byKind[k]!);
      }
      obs[kindOf(observed, ctx.history)]!++;
    }
    for (const k of kinds) {
      expect(exp[k]!, k).toBeGreaterThan(100);
      expect(Math.abs(obs[k]! - exp[k]!), k).toBeLessThan(5 * Math.sqrt(vari[k]!));
    }
  });

  it("generates panels whose log-likelihood matches the true entropies", () => {
    // Under the true process, -log p(observed | past) has mean H(p_ctx) and variance Var_p(-log p) at each
    // step; summed over steps, the observed total must be within a few standard deviations of the
    // expected one. Drawing from any other distribution (or scoring the wrong history) shifts it.
    let observed = 0;
    let expected = 0;
    let variance = 0;
    for (const { observed: code, p } of scored) {
      let h = 0;
      let h2 = 0;
      for (const x of p) {
        if (x > 0) {
          h -= x * Math.log(x);
          h2 += x * Math.log(x) ** 2;
        }
      }
      expected += h;
      variance += h2 - h * h;
      observed -= Math.log(p[world.labels.index(code)]!);
    }
    expect(Math.abs(observed - expected)).toBeLessThan(5 * Math.sqrt(variance));
  });

  it("makes leaving the labour force likelier with age past 55", () => {
    const nilfAt = (age: number): number => {
      const history = [2000, 2001, 2002, 2003, 2004].map((year) => ({ year, occupation: "243" }));
      const p = trueDistribution(world, { person: { ...person, sex: "male", birth_year: 2005 - age }, history, nextYear: 2005 });
      return p[world.indexNILF]!;
    };
    const ages = [50, 55, 58, 60, 62, 65, 68];
    const ps = ages.map(nilfAt);
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThan(ps[i - 1]!);
    expect(ps[ages.indexOf(65)]!).toBeGreaterThan(5 * ps[ages.indexOf(55)]!);
  });

  it("has returns to earlier occupations, in the process and in the panel", () => {
    const history = [
      { year: 1990, occupation: "313" },
      { year: 1991, occupation: "313" },
      { year: 1992, occupation: "243" },
    ];
    const ctx = { person, history, nextYear: 1993 };
    const withEarlier = trueDistribution(world, ctx)[world.labels.index("313")]!;
    const without = trueDistribution(world, { ...ctx, history: history.slice(2) })[world.labels.index("313")]!;
    expect(withEarlier).toBeGreaterThan(without + 0.02);

    let returns = 0;
    for (const c of panel.careers) {
      c.history.forEach((h, t) => {
        const prev = c.history[t - 1]?.occupation;
        if (t > 0 && h.occupation !== prev && world.labels.index(h.occupation) < world.nOcc) {
          if (c.history.slice(0, t - 1).some((e) => e.occupation === h.occupation)) returns++;
        }
      });
    }
    expect(returns).toBeGreaterThan(200);
  });

  it("puts better-educated people in occupations of higher job zones", () => {
    const zones = (levels: string[]): number => {
      let sum = 0;
      let n = 0;
      for (const c of panel.careers) {
        if (!levels.includes(c.person.education!)) continue;
        for (const h of c.history) {
          if (world.labels.index(h.occupation) < world.nOcc) {
            sum += zoneOf(h.occupation);
            n++;
          }
        }
      }
      return sum / n;
    };
    const low = zones(["less than high school", "high school"]);
    const high = zones(["bachelor's degree", "graduate degree"]);
    expect(high - low).toBeGreaterThan(0.8);
    // And the process itself: entry for a graduate puts more mass on zones 4-5 than for a dropout.
    const entryMassHigh = (education: Person["education"]): number => {
      const p = trueDistribution(world, { person: { ...person, education, birth_year: 1960 }, history: [], nextYear: 1990 });
      let m = 0;
      for (let i = 0; i < world.nOcc; i++) if (world.grounding.jobZone[i]! >= 4) m += p[i]!;
      return m;
    };
    expect(entryMassHigh("graduate degree")).toBeGreaterThan(10 * entryMassHigh("less than high school"));
  });
});

describe("synthetic panel", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateSyntheticPanel({ people: 200, seed: 3 }, world);
    const b = generateSyntheticPanel({ people: 200, seed: 3 }, world);
    const c = generateSyntheticPanel({ people: 200, seed: 4 }, world);
    expect(b).toEqual(a);
    expect(panelCsvText(b)).toBe(panelCsvText(a));
    expect(panelCsvText(c)).not.toBe(panelCsvText(a));
  });

  it("has the panel shape: ids, people, annual years, report", () => {
    expect(panel.source).toBe("synthetic");
    expect(panel.taxonomy).toBe("occ1990dd");
    expect(panel.specialStates).toEqual(["EDU", "UNEMP", "NILF"]);
    expect(panel.careers[0]!.id).toBe("s000001");
    expect(panel.careers[999]!.id).toBe("s001000");
    let years = 0;
    for (const c of panel.careers) {
      const p = c.person;
      expect(p.birth_year! >= POPULATION.birthYears[0] && p.birth_year! <= POPULATION.birthYears[1]).toBe(true);
      expect(p.sex && p.race && p.education && p.region).toBeTruthy();
      const start = c.history[0]!.year - p.birth_year!;
      expect(start >= POPULATION.startAge[0] && start <= POPULATION.startAge[1]).toBe(true);
      expect(c.history.length >= POPULATION.careerYears[0] && c.history.length <= POPULATION.careerYears[1]).toBe(true);
      c.history.forEach((h, t) => {
        if (t > 0 && h.year !== c.history[t - 1]!.year + 1) throw new Error(`gap in ${c.id}`);
        if (h.year > POPULATION.lastYear) throw new Error(`year ${h.year} in ${c.id}`);
      });
      years += c.history.length;
    }
    expect(panel.report).toEqual({
      file: "generated:seed=11",
      rows: years,
      kept: years,
      fixed: {},
      refused: {},
      issues: [],
      people: 1000,
      personYears: years,
    });
    const csv = panelCsvText(panel).split("\n");
    expect(csv[0]).toBe(PANEL_COLUMNS.join(","));
    expect(csv.length).toBe(years + 2); // header + rows + trailing newline
  });
});

describe("synthetic panel CSV", () => {
  it("round-trips through the documented panel format with nothing refused", () => {
    const small = generateSyntheticPanel({ people: 200, seed: 3 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "synthetic-")), "panel.csv");
    writePanelCsv(small, file);
    const back = readPanelCsv(file, { source: "synthetic", taxonomy: "occ1990dd" });
    expect(back.report.refused).toEqual({});
    expect(back.careers).toEqual(educationByYear(small.careers));
  });
});
