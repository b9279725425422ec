// Occupation label sets: codes and English titles, plus the special non-work states of the LABOR-LLM
// paper. The one place the edge, the origin and the training pipeline learn what a code means.
import occ1990dd from "./taxonomies/occ1990dd.json" with { type: "json" };
import nlswork from "./taxonomies/nlswork.json" with { type: "json" };
import isco08 from "./taxonomies/isco08.json" with { type: "json" };

export interface Label {
  code: string;
  title: string;
  group?: string;
}

export interface Taxonomy {
  id: TaxonomyId;
  name: string;
  source: string;
  labels: readonly Label[];
}

export const TAXONOMY_IDS = ["occ1990dd", "nlswork", "isco08"] as const;
export type TaxonomyId = (typeof TAXONOMY_IDS)[number];

/** States a person-year can be in besides an occupation. Codes are upper-case so they never collide with
 * the numeric codes of the taxonomies. */
export const SPECIAL_STATES = [
  { code: "EDU", title: "In education" },
  { code: "UNEMP", title: "Unemployed" },
  { code: "NILF", title: "Not in labor force" },
  // Not working, where the data cannot tell unemployment from being out of the labour force (NLSY79's -4).
  { code: "NOWORK", title: "Not working" },
] as const satisfies readonly Label[];
export type SpecialStateCode = (typeof SPECIAL_STATES)[number]["code"];
export const NOT_IN_LABOR_FORCE: SpecialStateCode = "NILF";

const TAXONOMIES: Record<TaxonomyId, Taxonomy> = {
  occ1990dd: occ1990dd as Taxonomy,
  nlswork: nlswork as Taxonomy,
  isco08: isco08 as Taxonomy,
};

export function isTaxonomyId(id: string): id is TaxonomyId {
  return (TAXONOMY_IDS as readonly string[]).includes(id);
}

export function getTaxonomy(id: TaxonomyId): Taxonomy {
  return TAXONOMIES[id];
}

export function isSpecialState(code: string): code is SpecialStateCode {
  return SPECIAL_STATES.some((s) => s.code === code);
}

/**
 * The ordered output space of one model: the taxonomy's occupations followed by the special states its
 * data can contain. Index i of every probability vector is `labels[i]`.
 */
export class LabelSet {
  readonly taxonomy: TaxonomyId;
  readonly labels: readonly Label[];
  private readonly indexByCode: Map<string, number>;

  constructor(taxonomy: TaxonomyId, labels: readonly Label[]) {
    this.taxonomy = taxonomy;
    this.labels = labels;
    this.indexByCode = new Map(labels.map((l, i) => [l.code, i]));
    if (this.indexByCode.size !== labels.length) throw new Error(`label set ${taxonomy} has duplicate codes`);
  }

  static of(taxonomy: TaxonomyId, specialStates: readonly string[] = []): LabelSet {
    const specials = SPECIAL_STATES.filter((s) => specialStates.includes(s.code));
    return new LabelSet(taxonomy, [...getTaxonomy(taxonomy).labels, ...specials]);
  }

  get size(): number {
    return this.labels.length;
  }

  get codes(): string[] {
    return this.labels.map((l) => l.code);
  }

  has(code: string): boolean {
    return this.indexByCode.has(code);
  }

  /** Index of a code; throws for an unknown code (callers validate input first). */
  index(code: string): number {
    const i = this.indexByCode.get(code);
    if (i === undefined) throw new Error(`code ${JSON.stringify(code)} is not in label set ${this.taxonomy}`);
    return i;
  }

  title(code: string): string {
    return this.labels[this.index(code)]!.title;
  }

  /** The special states this label set contains (for example, whether P(leaves the labour force) exists). */
  specialStates(): SpecialStateCode[] {
    return this.labels.map((l) => l.code).filter(isSpecialState);
  }
}
