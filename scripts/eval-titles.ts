// npm run eval:titles [-- --split test|validation] [--no-esco] [--json] [--fit-calibration]
// Accuracy of the title autocoder on labelled titles it never saw. Titles are split by their normalised
// form (a hash of it: 80% train, 10% validation, 10% test, reproducible), so a held-out title is absent
// from the evaluation index under every spelling that normalises alike and under every code. The index
// (and the ISCO bridge) is rebuilt from the titles outside the held-out split; each held-out title is coded:
//   O*NET alternate and reported titles, at three levels:
//     onet-soc:  the top candidate is one of the codes the title is labelled with (a title can have several)
//     occ1990dd: one of the occ1990dd codes those codes map to with a share of at least 0.5
//     nlswork:   likewise one level up (occ1990dd -> 1970 major group)
//   ESCO labels (preferred and alternative), at the isco08 level: one of the label's ISCO-08 groups.
// Titles whose codes reach no code of a level at that share (military O*NET-SOC codes, split minor groups)
// are left out of that level's count. --fit-calibration fits core/titles/code-title.ts's CALIBRATION
// (Platt scaling) on the held-out split: use it with --split validation only.
import { parseArgs } from "node:util";
import { AMBIGUITY, codeTitle, titleSlots, type Calibration, type TitleTaxonomy } from "../core/titles/code-title.ts";
import { Crosswalks } from "../core/titles/convert.ts";
import { occ1990ddToNlswork } from "../core/titles/crosswalks.ts";
import { titleKey } from "../core/titles/normalize.ts";
import { rankCodes } from "../core/titles/rank.ts";
import { loadTitleIndex, type TitleIndex } from "../core/titles/title-index.ts";
import { buildTitleArtifacts } from "./build-titles.ts";
import { splitOf, type Split } from "./lib/splits.ts";
import { readLabelledTitles, sourceFingerprint, type LabelledTitle } from "./titles/sources.ts";

const GROUPS = {
  alternate: { name: "O*NET alternate titles", levels: ["onet-soc", "occ1990dd", "nlswork"] },
  reported: { name: "O*NET reported titles", levels: ["onet-soc", "occ1990dd", "nlswork"] },
  esco: { name: "ESCO labels", levels: ["isco08"] },
} as const satisfies Record<string, { name: string; levels: readonly TitleTaxonomy[] }>;
type Group = keyof typeof GROUPS;

function groupOf(t: LabelledTitle): Group | undefined {
  if (t.source === "onet-alternate") return "alternate";
  if (t.source === "onet-reported") return "reported";
  if (t.source === "esco-preferred" || t.source === "esco-alternative") return "esco";
  return undefined;
}

export interface LevelMetrics {
  n: number;
  top1: number;
  top5: number;
  /** Share of titles not flagged ambiguous, and the top-1 accuracy on them. */
  confident_share: number;
  confident_top1: number;
  /** Mean top-1 confidence, and expected calibration error of it (10 bins). */
  mean_confidence: number;
  ece: number;
}

export interface TitleEvalReport {
  split: Split;
  esco: boolean;
  fingerprint: string;
  train_titles: number;
  index_documents: number;
  results: Partial<Record<Group, Partial<Record<TitleTaxonomy, LevelMetrics>>>>;
  calibration?: Partial<Record<TitleTaxonomy, Calibration>>;
}

/** Titles under their split, by the normalised form (the unit the index stores). */
export const titleSplit = (text: string): Split => splitOf("titles", titleKey(text));

interface Item {
  text: string;
  gold: Partial<Record<TitleTaxonomy, Set<string>>>;
}

function goldSets(kind: "onet" | "isco", codes: Set<string>, crosswalks: Crosswalks): Item["gold"] {
  if (kind === "isco") return { isco08: codes };
  const groups = occ1990ddToNlswork();
  const occ = new Set<string>();
  const nls = new Set<string>();
  for (const code of codes)
    for (const [o, { w }] of crosswalks.occFromOnet(code)) {
      if (w < 0.5 || !groups.has(o)) continue;
      occ.add(o);
      for (const [g, s] of Object.entries(groups.get(o)!)) if (s >= 0.5) nls.add(g);
    }
  return { "onet-soc": codes, occ1990dd: occ, nlswork: nls };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function score(index: TitleIndex, items: readonly Item[], level: TitleTaxonomy): LevelMetrics {
  let n = 0, top1 = 0, top5 = 0, confident = 0, confidentRight = 0, conf = 0;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  for (const item of items) {
    const gold = item.gold[level];
    if (!gold || gold.size === 0) continue;
    const r = codeTitle(index, item.text, { taxonomy: level, limit: 5 });
    n++;
    const first = r.candidates[0];
    const right = first !== undefined && gold.has(first.code);
    if (right) top1++;
    if (r.candidates.some((c) => gold.has(c.code))) top5++;
    const c = first?.confidence ?? 0;
    conf += c;
    const bin = bins[Math.min(9, Math.floor(c * 10))]!;
    bin.n++;
    bin.conf += c;
    if (right) bin.right++;
    if (!r.ambiguous) {
      confident++;
      if (right) confidentRight++;
    }
  }
  return {
    n,
    top1: r4(top1 / n),
    top5: r4(top5 / n),
    confident_share: r4(confident / n),
    confident_top1: r4(confidentRight / Math.max(confident, 1)),
    mean_confidence: r4(conf / n),
    ece: r4(bins.reduce((s, b) => s + Math.abs(b.conf - b.right), 0) / n),
  };
}

/**
 * Platt scaling of the top candidate: P(right) = sigmoid(a ln p + b ln s + c), p the pooled share and s the
 * best title similarity; fitted by Newton's method on the log-likelihood.
 */
export function fitCalibration(samples: readonly { p: number; s: number; right: boolean }[]): Calibration {
  const xs = samples.map(({ p, s }) => [Math.log(Math.max(p, 1e-4)), Math.log(Math.max(s, 1e-4)), 1] as const);
  let w = [1, 1, 0];
  for (let iter = 0; iter < 50; iter++) {
    const g = [0, 0, 0];
    const h = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    xs.forEach((x, i) => {
      const z = w[0]! * x[0] + w[1]! * x[1] + w[2]! * x[2];
      const q = 1 / (1 + Math.exp(-z));
      const y = samples[i]!.right ? 1 : 0;
      for (let j = 0; j < 3; j++) {
        g[j]! += (y - q) * x[j]!;
        for (let k = 0; k < 3; k++) h[j]![k]! += q * (1 - q) * x[j]! * x[k]!;
      }
    });
    const step = solve3(h, g);
    w = w.map((v, j) => v + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-6) break;
  }
  return { a: r4(w[0]!), b: r4(w[1]!), c: r4(w[2]!) };
}

function solve3(m: number[][], v: number[]): number[] {
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let c = 0; c < 3; c++) {
    const p = [c, c + 1, c + 2].filter((r) => r < 3).reduce((best, r) => (Math.abs(a[r]![c]!) > Math.abs(a[best]![c]!) ? r : best), c);
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 4; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[3]! / row[i]!);
}

export function evaluateTitles(opts: { split: Split; esco: boolean; fitCalibration?: boolean }): TitleEvalReport {
  const all = readLabelledTitles().filter((t) => opts.esco || !t.source.startsWith("esco"));
  const train: LabelledTitle[] = [];
  const heldOut = new Map<string, { group: Group; kind: "onet" | "isco"; text: string; codes: Set<string> }>();
  for (const t of all) {
    if (titleSplit(t.text) !== opts.split) {
      train.push(t);
      continue;
    }
    const group = groupOf(t);
    if (group === undefined) continue;
    const key = `${group}\u0000${titleKey(t.text)}`;
    const item = heldOut.get(key) ?? { group, kind: t.kind as "onet" | "isco", text: t.text, codes: new Set<string>() };
    item.codes.add(t.code);
    heldOut.set(key, item);
  }
  const fingerprint = sourceFingerprint();
  const { tables, index: file } = buildTitleArtifacts(train, fingerprint);
  const index = loadTitleIndex(file);
  const crosswalks = new Crosswalks(tables);
  const itemsOf = (group: Group): Item[] =>
    [...heldOut.values()].filter((h) => h.group === group).map((h) => ({ text: h.text, gold: goldSets(h.kind, h.codes, crosswalks) }));

  const results: TitleEvalReport["results"] = {};
  for (const group of Object.keys(GROUPS) as Group[]) {
    const items = itemsOf(group);
    if (items.length === 0) continue;
    results[group] = Object.fromEntries(GROUPS[group].levels.map((l) => [l, score(index, items, l)]));
  }
  const report: TitleEvalReport = { split: opts.split, esco: opts.esco, fingerprint, train_titles: train.length, index_documents: index.docCount, results };

  if (opts.fitCalibration) {
    report.calibration = {};
    const levels = ["onet-soc", "occ1990dd", "nlswork", "isco08"] as const;
    for (const level of levels) {
      const samples: { p: number; s: number; right: boolean }[] = [];
      for (const group of Object.keys(GROUPS) as Group[])
        for (const item of itemsOf(group)) {
          const gold = item.gold[level];
          if (!gold || gold.size === 0) continue;
          const ranking = rankCodes(index, titleSlots(index, item.text), level, 1);
          const top = ranking.codes[0];
          if (top) samples.push({ p: top.p, s: ranking.match, right: gold.has(top.code) });
        }
      if (samples.length > 0) report.calibration[level] = fitCalibration(samples);
    }
  }
  return report;
}

export function markdownTable(report: TitleEvalReport): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  const lines = [
    "| held-out titles | level | n | top-1 % | top-5 % | not ambiguous % | top-1 % if not ambiguous | mean confidence | ECE |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const [group, levels] of Object.entries(report.results) as [Group, Partial<Record<TitleTaxonomy, LevelMetrics>>][])
    for (const [level, m] of Object.entries(levels) as [TitleTaxonomy, LevelMetrics][])
      lines.push(
        `| ${GROUPS[group].name} | ${level} | ${m.n} | ${pct(m.top1)} | ${pct(m.top5)} | ${pct(m.confident_share)} | ` +
          `${pct(m.confident_top1)} | ${m.mean_confidence.toFixed(3)} | ${m.ece.toFixed(3)} |`,
      );
  return lines.join("\n");
}

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: {
      split: { type: "string", default: "test" },
      "no-esco": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      "fit-calibration": { type: "boolean", default: false },
    },
  });
  if (args.split !== "test" && args.split !== "validation") throw new Error("--split must be test or validation");
  const started = performance.now();
  const report = evaluateTitles({ split: args.split, esco: !args["no-esco"], fitCalibration: args["fit-calibration"] });
  if (args.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      `Title autocoder on held-out ${report.split} titles (${report.esco ? "with" : "without"} ESCO labels in the index): ` +
        `index of ${report.index_documents} distinct titles from ${report.train_titles} labelled titles; ambiguous = no ` +
        `match, top confidence < ${AMBIGUITY.MIN_CONFIDENCE} or runner-up within ${AMBIGUITY.MIN_MARGIN}.\n`,
    );
    console.log(markdownTable(report));
    if (report.calibration) console.log(`\nfitted calibration (Platt: a ln p + b ln s + c):\n${JSON.stringify(report.calibration, null, 1)}`);
    console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}
