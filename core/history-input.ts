// History entries given as free-text titles or as codes of other systems, turned into the model's label
// codes before anything else reads the request (validation, the models, the origin). Shared by the edge
// and any server that accepts the edge's request shape. Each converted entry is echoed back (code, title,
// confidence, the next candidates), so a widget can show how it was read; a title the autocoder cannot
// place with confidence is refused with its best candidates, unless the caller allows a best guess.
import type { EdgePredictRequest, HistoryInputEntry, PredictRequest, UnderstoodEntry } from "./contract.ts";
import type { InvalidParam } from "./problem.ts";
import { searchLabels } from "./label-search.ts";
import type { LabelSet } from "./taxonomy.ts";
import { codeTitle, convertCode, type TitleIndex } from "./titles/index.ts";

/** Candidates listed for an entry that could not be read with confidence. */
export interface EntryCandidates {
  pointer: string;
  candidates: { code: string; title: string; confidence: number }[];
}

export type ResolvedHistory =
  | { ok: true; request: PredictRequest; understood: UnderstoodEntry[] }
  | { ok: false; errors: InvalidParam[]; candidates: EntryCandidates[] };

/** Whether the request has entries that need the title index (loading it costs ~0.1 s once per isolate). */
export const needsTitleIndex = (request: EdgePredictRequest): boolean => request.history.some((e) => e.title !== undefined);

const CANDIDATES_SHOWN = 5;
const percent = (x: number) => `${Math.round(x * 100)}%`;

export function resolveHistory(request: EdgePredictRequest, labels: LabelSet, titles: TitleIndex | undefined, prefix = ""): ResolvedHistory {
  const errors: InvalidParam[] = [];
  const listed: EntryCandidates[] = [];
  const understood: UnderstoodEntry[] = [];
  const history = request.history.map((entry: HistoryInputEntry, index) => ({ ...resolveEntry(entry, index), ...(entry.education ? { education: entry.education } : {}) }));
  if (errors.length) return { ok: false, errors, candidates: listed };
  const { allow_best_guess: _, ...rest } = request;
  return { ok: true, request: { ...rest, history }, understood };

  /** The entry's year and the model's code for it ("" after recording why there is none). */
  function resolveEntry(entry: HistoryInputEntry, index: number): { year: number; occupation: string } {
    if (entry.occupation !== undefined) return { year: entry.year, occupation: entry.occupation };
    const taxonomy = labels.builtIn;
    const pointer = `${prefix}/history/${index}/${entry.title !== undefined ? "title" : "code"}`;
    if (!taxonomy) {
      // A user's own code list: the title coder and the crosswalks know only the built-in taxonomies. A title
      // lists the model's own labels whose titles it matches, as candidates.
      const given = entry.title !== undefined ? `the title ${JSON.stringify(entry.title)}` : `${entry.system} code ${JSON.stringify(entry.code)}`;
      errors.push({
        pointer,
        detail: `this model's labels are a code list of its own (${labels.taxonomy}): ${given} cannot be read into it (the title coder and the crosswalks know only the built-in taxonomies); send occupation with one of its codes (GET /v1/occupations)`,
      });
      const matches = entry.title !== undefined ? searchLabels(labels, entry.title, CANDIDATES_SHOWN) : [];
      if (matches.length) listed.push({ pointer, candidates: matches.map(({ code, title, score }) => ({ code, title, confidence: score })) });
      return { year: entry.year, occupation: "" };
    }
    let candidates: { code: string; title: string; confidence: number }[];
    let refusal: string | undefined;
    if (entry.title !== undefined) {
      const coded = codeTitle(titles!, entry.title, { taxonomy, limit: CANDIDATES_SHOWN + 1 });
      candidates = coded.candidates.filter((c) => labels.has(c.code));
      if (candidates.length === 0) refusal = `no occupation of ${taxonomy} matches the title ${JSON.stringify(entry.title)}`;
      else if (coded.ambiguous && !request.allow_best_guess)
        refusal = `the title ${JSON.stringify(entry.title)} is ambiguous (${coded.reason}): best candidates ${candidates
          .slice(0, 3)
          .map((c) => `${c.code} ${c.title} (${percent(c.confidence)})`)
          .join(", ")}; send one of them as occupation, or allow_best_guess`;
    } else {
      const converted = convertCode({ code: entry.code!, system: entry.system! }, { taxonomy, limit: CANDIDATES_SHOWN + 1 });
      candidates = converted.candidates.filter((c) => labels.has(c.code));
      // A code splits over several of the model's codes only where the crosswalk does: the top one is
      // taken and the split is echoed, never refused.
      if (converted.status !== "ok" || candidates.length === 0)
        refusal = converted.detail ?? `${entry.system} code ${JSON.stringify(entry.code)} has no ${taxonomy} code in this model`;
    }
    if (refusal) {
      errors.push({ pointer, detail: refusal });
      if (candidates.length) listed.push({ pointer, candidates: candidates.slice(0, CANDIDATES_SHOWN) });
      return { year: entry.year, occupation: "" };
    }
    const [best, ...rest] = candidates;
    understood.push({
      index,
      given: entry.title !== undefined ? { title: entry.title } : { code: entry.code!, system: entry.system! },
      code: best!.code,
      title: best!.title,
      confidence: best!.confidence,
      alternatives: rest.slice(0, CANDIDATES_SHOWN - 1).map(({ code, title, confidence }) => ({ code, title, confidence })),
    });
    return { year: entry.year, occupation: best!.code };
  }
}
