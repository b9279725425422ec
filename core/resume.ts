// The resume text of the LABOR-LLM paper: the only place a career is turned into text. The training
// corpus and every prompt at run time come from here, so both are the same text byte for byte.
//
//   Resume from nlswork
//   A female black worker with a high school education, residing in the south region.
//   Born in 1952.
//   1978: Clerical/unskilled
//   1980: Operatives
//   <END>
//
// A panel that records education by year (NLSY79) states it after a year's line when it changes:
//   1984: Cashiers
//   Education: some college.
import type { CareerYear, EducationLevel, Person, Region } from "./career.ts";
import type { LabelSet } from "./taxonomy.ts";

/** "titles": English occupation titles (the paper's method); "codes": opaque code tokens (its ablation). */
export type Rendering = "titles" | "codes";
export const END_MARKER = "<END>";

const EDUCATION_PHRASE: Record<EducationLevel, string> = {
  "less than high school": "with less than a high school education",
  "high school": "with a high school education",
  "some college": "with some college education",
  "bachelor's degree": "with a bachelor's degree",
  "graduate degree": "with a graduate degree",
};

function regionPhrase(region: Region): string {
  return region === "non-south" ? "residing outside the south region" : `residing in the ${region} region`;
}

/** One sentence of demographics; absent fields are left out, never guessed. */
export function demographicSentence(person: Person): string {
  const who = [person.sex, person.race, "worker"].filter(Boolean).join(" ");
  const details = [
    person.education ? EDUCATION_PHRASE[person.education] : undefined,
    person.region ? regionPhrase(person.region) : undefined,
  ].filter(Boolean);
  return `A ${who}${details.length ? " " + details.join(", ") : ""}.`;
}

/** The token that stands for a code in the "codes" rendering (a special state's is the same in every label
 * set, whatever code a user's code list gives it). */
export function codeToken(labels: LabelSet, code: string): string {
  const state = labels.stateOf(code);
  return state ? `<state:${state}>` : `<${labels.taxonomy}:${code}>`;
}

/** What a year line says after "YEAR: ". */
export function occupationText(labels: LabelSet, code: string, rendering: Rendering): string {
  return rendering === "titles" ? labels.title(code) : codeToken(labels, code);
}

export function headerLines(source: string, person: Person): string[] {
  const lines = [`Resume from ${source}`, demographicSentence(person)];
  if (person.birth_year !== undefined) lines.push(`Born in ${person.birth_year}.`);
  return lines;
}

export function yearLine(labels: LabelSet, year: number, code: string, rendering: Rendering): string {
  return `${year}: ${occupationText(labels, code, rendering)}`;
}

/** The line stating a year's education, after that year's line (so a prompt never reveals what follows). */
export function educationLine(education: EducationLevel): string {
  return `Education: ${education}.`;
}

/** Year lines, each followed by an education line where the year's education differs from the last stated. */
function historyLines(person: Person, history: readonly CareerYear[], labels: LabelSet, rendering: Rendering): string[] {
  let stated = person.education;
  return history.flatMap((h) => {
    const line = yearLine(labels, h.year, h.occupation, rendering);
    if (h.education === undefined || h.education === stated) return [line];
    stated = h.education;
    return [line, educationLine(h.education)];
  });
}

/**
 * The question a language model is asked: the resume so far, then the next year and its colon. The answer
 * is one of the label continuations below, so prompt + continuation is exactly the next line of the resume.
 */
export function renderPrompt(
  source: string,
  career: { person: Person; history: readonly CareerYear[] },
  labels: LabelSet,
  nextYear: number,
  rendering: Rendering = "titles",
): string {
  return renderResume(source, career, labels, { rendering, complete: false }) + `${nextYear}:`;
}

/** What follows a prompt when the next state is `code`: " TITLE\n" (the newline ends the title). */
export function continuationText(labels: LabelSet, code: string, rendering: Rendering = "titles"): string {
  return ` ${occupationText(labels, code, rendering)}\n`;
}

export interface ResumeOptions {
  rendering?: Rendering;
  /** Append the end marker (a finished career in the corpus); leave it off for a prompt. */
  complete?: boolean;
}

/** The full resume text, one line per observed year, newline-terminated. */
export function renderResume(
  source: string,
  career: { person: Person; history: readonly CareerYear[] },
  labels: LabelSet,
  { rendering = "titles", complete = true }: ResumeOptions = {},
): string {
  const lines = [...headerLines(source, career.person), ...historyLines(career.person, career.history, labels, rendering)];
  if (complete) lines.push(END_MARKER);
  return lines.join("\n") + "\n";
}
