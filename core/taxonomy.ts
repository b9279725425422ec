// Occupation label sets: codes and English titles, plus the special non-work states of the LABOR-LLM
// paper. The one place the edge, the origin and the training pipeline learn what a code means.
import occ1990dd from "./taxonomies/occ1990dd.json" with { type: "json" };
import nlswork from "./taxonomies/nlswork.json" with { type: "json" };
import isco08 from "./taxonomies/isco08.json" with { type: "json" };

export interface Label {
  code: string;
  title: string;
  group?: string;
  /** The project's special state this label stands for, where a user's code list names one with its own
   * code (e.g. "LEAVE" for NILF). A label whose code is a special state's code is that state anyway. */
  special?: SpecialStateCode;
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

/** Id of a label set: a built-in taxonomy, or `custom:NAME` for a user's own code list (`--labels FILE`). */
export type LabelSetId = TaxonomyId | `custom:${string}`;
export const CUSTOM_LABEL_SET_PATTERN = /^custom:[A-Za-z0-9_.-]{1,64}$/;

export function isLabelSetId(id: string): id is LabelSetId {
  return isTaxonomyId(id) || CUSTOM_LABEL_SET_PATTERN.test(id);
}

/** The id of a user's code list named after its dataset; throws for a name that cannot be one. */
export function customLabelSetId(name: string): LabelSetId {
  const id = `custom:${name}` as const;
  if (!CUSTOM_LABEL_SET_PATTERN.test(id)) throw new Error(`${JSON.stringify(name)} cannot name a code list (1 to 64 letters, digits, "_", "." or "-")`);
  return id;
}

/**
 * A user's own code list (`--labels FILE`, scripts/panel/labels-file.ts): its occupations in output order,
 * and the labels by which it names special states (`special` set, or a special state's own code). Special
 * states it does not name keep the project's code and title.
 */
export interface CodeList {
  id: LabelSetId;
  labels: readonly Label[];
}

/** The special state a label stands for, if any. */
export function stateOfLabel(label: Label): SpecialStateCode | undefined {
  return label.special ?? (isSpecialState(label.code) ? label.code : undefined);
}

export function isSpecialState(code: string): code is SpecialStateCode {
  return SPECIAL_STATES.some((s) => s.code === code);
}

/**
 * The ordered output space of one model: the taxonomy's occupations followed by the special states its
 * data can contain. Index i of every probability vector is `labels[i]`.
 */
export class LabelSet {
  readonly taxonomy: LabelSetId;
  readonly labels: readonly Label[];
  private readonly indexByCode: Map<string, number>;
  private readonly codeByState: Map<SpecialStateCode, string>;

  constructor(taxonomy: LabelSetId, labels: readonly Label[]) {
    this.taxonomy = taxonomy;
    this.labels = labels;
    this.indexByCode = new Map(labels.map((l, i) => [l.code, i]));
    if (this.indexByCode.size !== labels.length) throw new Error(`label set ${taxonomy} has duplicate codes`);
    this.codeByState = new Map();
    for (const l of labels) {
      const state = stateOfLabel(l);
      if (state === undefined) continue;
      if (this.codeByState.has(state)) throw new Error(`label set ${taxonomy} names special state ${state} twice`);
      this.codeByState.set(state, l.code);
    }
  }

  /**
   * A taxonomy's occupations (or a user's code list's) followed by the special states among `specialStates`
   * (label codes: the project's, or the code list's own), in the order of SPECIAL_STATES.
   */
  static of(taxonomy: TaxonomyId | CodeList, specialStates: readonly string[] = []): LabelSet {
    const list = typeof taxonomy === "string" ? { id: taxonomy, labels: getTaxonomy(taxonomy).labels } : taxonomy;
    const states = SPECIAL_STATES.map((s) => list.labels.find((l) => stateOfLabel(l) === s.code) ?? s);
    return new LabelSet(list.id, [
      ...list.labels.filter((l) => stateOfLabel(l) === undefined),
      ...states.filter((s) => specialStates.includes(s.code)),
    ]);
  }

  /** Every occupation and every special state: all the codes a panel in this code system may hold. */
  static complete(taxonomy: TaxonomyId | CodeList): LabelSet {
    const all = typeof taxonomy === "string" ? SPECIAL_STATES.map((s) => s.code) : [...SPECIAL_STATES.map((s) => s.code), ...taxonomy.labels.map((l) => l.code)];
    return LabelSet.of(taxonomy, all);
  }

  /** The built-in taxonomy of these labels, or undefined for a user's code list (no title coder, no crosswalks). */
  get builtIn(): TaxonomyId | undefined {
    return isTaxonomyId(this.taxonomy) ? this.taxonomy : undefined;
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

  /** The codes of the special states this label set contains (for example, whether P(leaves the labour
   * force) exists); a user's code list may name a state with its own code. */
  specialStates(): string[] {
    return this.labels.filter((l) => stateOfLabel(l) !== undefined).map((l) => l.code);
  }

  /** The special state a code stands for, or undefined for an occupation (or an unknown code). */
  stateOf(code: string): SpecialStateCode | undefined {
    const i = this.indexByCode.get(code);
    return i === undefined ? undefined : stateOfLabel(this.labels[i]!);
  }

  /** The code that stands for a special state in this label set, or undefined when it has none. */
  codeOf(state: SpecialStateCode): string | undefined {
    return this.codeByState.get(state);
  }
}
