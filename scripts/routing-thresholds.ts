// npm run routing-thresholds -- --dataset NAME [--max-share 0.25] [--json]
// Chooses the edge's escalation thresholds on validation people: for each candidate threshold on the small
// model's top probability (and, separately, its entropy), the share of questions that would go to the origin
// and the NLL of the routed answers (large where escalated, small elsewhere). The recommendation is the
// threshold with the lowest routed NLL among those that send at most --max-share of questions, if it beats
// the small model alone by at least 0.5%; else "" (never escalate on uncertainty). The same thresholds are
// then applied to the test people, which played no part in the choice.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ModelManifest } from "../core/model-artifact.ts";
import { createPredictor } from "../core/predictors/index.ts";
import { limitPeople, loadDataset } from "./datasets.ts";
import { prepare } from "./eval/evaluate.ts";
import type { Example } from "./eval/examples.ts";
import { languageModelFiles, languageModelScorers } from "./eval/lm-scorers.ts";
import { repoPath } from "./lib/paths.ts";

const { values: args } = parseArgs({
  options: { dataset: { type: "string", default: "nlswork" }, "max-share": { type: "string", default: "0.25" }, json: { type: "boolean", default: false } },
});
const dir = repoPath("model", args.dataset!);
const manifest: ModelManifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
const dataset = limitPeople(await loadDataset({ dataset: manifest.data.dataset }), manifest.data.people);
const prepared = prepare(dataset);
const fallback = createPredictor(JSON.parse(readFileSync(path.join(dir, "predictor.json"), "utf8")), prepared.labels);
const [large, small] = languageModelScorers(languageModelFiles(dir, manifest), prepared.labels, fallback);

interface Row {
  nllSmall: number;
  nllLarge: number;
  maxP: number;
  entropy: number;
}
async function rows(examples: Example[]): Promise<Row[]> {
  const [ps, pl] = [await small!.scoreAll(examples), await large!.scoreAll(examples)];
  return examples.map((e, i) => {
    const s = ps[i]!;
    let maxP = 0, entropy = 0;
    for (let k = 0; k < s.length; k++) {
      maxP = Math.max(maxP, s[k]!);
      if (s[k]! > 0) entropy -= s[k]! * Math.log2(s[k]!);
    }
    return { nllSmall: -Math.log(s[e.target]!), nllLarge: -Math.log(pl[i]![e.target]!), maxP, entropy };
  });
}

const routed = (rs: Row[], escalate: (r: Row) => boolean) => {
  let nll = 0, sent = 0;
  for (const r of rs) {
    const up = escalate(r);
    sent += up ? 1 : 0;
    nll += up ? r.nllLarge : r.nllSmall;
  }
  return { share: sent / rs.length, perplexity: Math.exp(nll / rs.length) };
};

const validation = await rows(prepared.examples.validation);
const test = await rows(prepared.examples.test);
const maxShare = Number(args["max-share"]);
const candidates = [
  ...[0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((t) => ({ setting: "ESCALATE_BELOW_MAX_PROB", value: t, escalate: (r: Row) => r.maxP < t })),
  ...[0.5, 1, 1.5, 2, 2.5, 3].map((t) => ({ setting: "ESCALATE_ABOVE_ENTROPY_BITS", value: t, escalate: (r: Row) => r.entropy > t })),
];
const smallOnly = { validation: routed(validation, () => false), test: routed(test, () => false) };
const largeOnly = { validation: routed(validation, () => true), test: routed(test, () => true) };
const table = candidates.map((c) => ({ setting: c.setting, value: c.value, validation: routed(validation, c.escalate), test: routed(test, c.escalate) }));
const eligible = table.filter((r) => r.validation.share <= maxShare).sort((a, b) => a.validation.perplexity - b.validation.perplexity);
const best = eligible[0] && eligible[0].validation.perplexity < smallOnly.validation.perplexity * 0.995 ? eligible[0] : undefined;

if (args.json) console.log(JSON.stringify({ smallOnly, largeOnly, table, recommended: best ?? null }, null, 2));
else {
  const f = (x: { share: number; perplexity: number }) => `${(x.share * 100).toFixed(1)}% | ${x.perplexity.toFixed(4)}`;
  console.log(`${args.dataset}: routed perplexity (large where escalated, small elsewhere); validation n=${validation.length}, test n=${test.length}\n`);
  console.log("| setting | value | validation: escalated | perplexity | test: escalated | perplexity |\n|---|---:|---:|---:|---:|---:|");
  console.log(`| small only | | ${f(smallOnly.validation)} | ${f(smallOnly.test)} |`);
  console.log(`| large only | | ${f(largeOnly.validation)} | ${f(largeOnly.test)} |`);
  for (const r of table) console.log(`| ${r.setting} | ${r.value} | ${f(r.validation)} | ${f(r.test)} |`);
  console.log(best ? `\nrecommended: ${best.setting} = "${best.value}"` : `\nrecommended: no escalation on uncertainty (no threshold sending <= ${maxShare * 100}% beats the small model alone by 0.5% on validation)`);
}
