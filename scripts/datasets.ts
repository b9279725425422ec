// Named datasets for the pipeline: the real nlswork and NLSY79 panels, the synthetic world (with its true next-step
// probabilities), or a user's own panel CSV.
import { isTaxonomyId, type TaxonomyId } from "../core/taxonomy.ts";
import type { PredictionContext } from "../core/predictors/types.ts";
import { readNlsy79 } from "./panel/nlsy79.ts";
import { readNlswork } from "./panel/nlswork.ts";
import { readLabelsFile } from "./panel/labels-file.ts";
import { readPanelCsv } from "./panel/panel-csv.ts";
import type { Panel } from "./panel/types.ts";

export const SYNTHETIC_DEFAULTS = { people: 20000, seed: 1 };

export interface Dataset {
  panel: Panel;
  /** The true next-step distribution, where the data-generating process is known (synthetic). */
  trueDistribution?: (ctx: PredictionContext) => Float64Array;
}

export interface DatasetOptions {
  dataset: string;
  panel?: string;
  taxonomy?: TaxonomyId;
  /** A user's own code list (CSV code,title[,special]) instead of a taxonomy: scripts/panel/labels-file.ts. */
  labels?: string;
  people?: number;
  seed?: number;
}

/** parseArgs options shared by every command that reads a dataset. */
export const DATASET_ARG_OPTIONS = {
  dataset: { type: "string" },
  panel: { type: "string" },
  taxonomy: { type: "string" },
  labels: { type: "string" },
  people: { type: "string" },
  seed: { type: "string" },
} as const;

export function datasetOptionsFromArgs(args: { dataset?: string; panel?: string; taxonomy?: string; labels?: string; people?: string; seed?: string }): DatasetOptions {
  if (args.taxonomy !== undefined && !isTaxonomyId(args.taxonomy)) throw new Error(`unknown taxonomy ${args.taxonomy}`);
  if (args.labels !== undefined && (args.taxonomy !== undefined || args.panel === undefined))
    throw new Error("--labels FILE (your own code list) goes with --panel FILE, instead of --taxonomy");
  const dataset = args.dataset ?? (args.panel ? "custom" : undefined);
  if (!dataset) throw new Error("say which data: --dataset nlswork|nlsy79|synthetic, or --panel FILE --taxonomy T [--dataset NAME]");
  return {
    dataset,
    panel: args.panel,
    taxonomy: args.taxonomy as TaxonomyId | undefined,
    labels: args.labels,
    people: args.people === undefined ? undefined : Number(args.people),
    seed: args.seed === undefined ? undefined : Number(args.seed),
  };
}

export async function loadDataset(opts: DatasetOptions, log: (message: string) => void = () => {}): Promise<Dataset> {
  if (opts.panel) {
    if (opts.labels) return { panel: readPanelCsv(opts.panel, { source: opts.dataset, taxonomy: readLabelsFile(opts.labels, opts.dataset) }) };
    if (!opts.taxonomy) throw new Error("--panel needs --taxonomy (occ1990dd, nlswork or isco08), or --labels FILE for a code list of your own");
    return { panel: readPanelCsv(opts.panel, { source: opts.dataset, taxonomy: opts.taxonomy }) };
  }
  switch (opts.dataset) {
    case "nlswork":
      return { panel: readNlswork() };
    case "nlsy79":
      return { panel: readNlsy79() };
    case "synthetic": {
      const people = opts.people ?? SYNTHETIC_DEFAULTS.people, seed = opts.seed ?? SYNTHETIC_DEFAULTS.seed;
      // Loaded on demand: building the world reads the O*NET tables, which the other datasets never need.
      const { buildWorld, trueDistribution } = await import("./synthetic/world.ts");
      const { generateSyntheticPanel } = await import("./synthetic/generate.ts");
      const world = buildWorld();
      const panel = generateSyntheticPanel({ people, seed }, world);
      log(`synthetic: ${people} people, seed ${seed}`);
      return { panel, trueDistribution: (ctx) => trueDistribution(world, ctx) };
    }
    default:
      throw new Error(`unknown dataset ${opts.dataset}: use nlswork, nlsy79, synthetic, or --panel FILE --taxonomy T`);
  }
}

/** The first n people by id (a build's --limit-people): the same people whenever it is asked again. */
export function limitPeople(d: Dataset, n: number): Dataset {
  if (!n || d.panel.careers.length <= n) return d;
  const careers = [...d.panel.careers].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, n);
  const personYears = careers.reduce((s, c) => s + c.history.length, 0);
  return { ...d, panel: { ...d.panel, careers, report: { ...d.panel.report, people: careers.length, personYears } } };
}
