// A user's own code list (`--labels FILE`): the occupations of a panel that is not coded in a built-in
// taxonomy, with the English titles its resume texts use, and which of its codes stand for the project's
// special states. See docs/panel-format.md ("Your own code list").
//
//   code,title,special
//   ENG1,Software Engineer,
//   LEAVE,Career break,NILF
//
// The list defines the model's output space, so any problem in it makes the whole file unusable (every
// problem is listed, with its line); rows of the panel whose code it lacks are refused one by one.
import { customLabelSetId, isSpecialState, SPECIAL_STATES, type CodeList, type Label, type SpecialStateCode } from "../../core/taxonomy.ts";
import { readTable } from "./table.ts";

export const LABELS_REQUIRED_COLUMNS = ["code", "title"] as const;
export const LABELS_COLUMNS = [...LABELS_REQUIRED_COLUMNS, "special"] as const;
/** Longest code (the prediction API's limit on `occupation`) and title. */
export const MAX_CODE_LENGTH = 32;
export const MAX_TITLE_LENGTH = 200;
/** A code: printable, no whitespace, no "<" or ">" (the codes rendering writes `<custom:NAME:CODE>`), no quote or comma. */
const CODE_PATTERN = /^[^\s<>",\p{Cc}]+$/u;
const CONTROL = /\p{Cc}/u;
const SHOWN = 20;

export class LabelsFileError extends Error {
  override name = "LabelsFileError";
}

/**
 * Reads a code list. `name` (the dataset's) names it: its label set id is `custom:NAME`. Throws
 * LabelsFileError listing the problems when the file is not a usable code list.
 */
export function readLabelsFile(file: string, name: string): CodeList {
  const table = readTable(file, LABELS_REQUIRED_COLUMNS, LABELS_COLUMNS);
  const problems: string[] = [];
  const at = (line: number, field: string, message: string) => problems.push(`line ${line} ${field}: ${message}`);
  const labels: Label[] = [];
  const lineOfCode = new Map<string, number>();
  const lineOfTitle = new Map<string, number>();
  const lineOfState = new Map<SpecialStateCode, number>();
  for (const r of table.rows) {
    if (r.width !== table.header.length) {
      at(r.line, "(row)", `${r.width} fields, the header has ${table.header.length}`);
      continue;
    }
    const code = r.fields.code ?? "";
    const title = r.fields.title ?? "";
    const special = r.fields.special ?? "";
    const before = problems.length;
    if (!code) at(r.line, "code", "empty");
    else if (code.length > MAX_CODE_LENGTH) at(r.line, "code", `${JSON.stringify(code)} is longer than ${MAX_CODE_LENGTH} characters`);
    else if (!CODE_PATTERN.test(code)) at(r.line, "code", `${JSON.stringify(code)} holds a space, a control character, or one of < > " ,`);
    else if (lineOfCode.has(code)) at(r.line, "code", `${JSON.stringify(code)} is already on line ${lineOfCode.get(code)}`);
    if (!title) at(r.line, "title", "empty");
    else if (title.length > MAX_TITLE_LENGTH) at(r.line, "title", `longer than ${MAX_TITLE_LENGTH} characters`);
    else if (CONTROL.test(title)) at(r.line, "title", "holds a control character (a title is one line of the resume)");
    else if (lineOfTitle.has(title)) at(r.line, "title", `${JSON.stringify(title)} is already on line ${lineOfTitle.get(title)} (the resume text could not tell the two codes apart)`);
    let state: SpecialStateCode | undefined;
    if (special && !isSpecialState(special)) at(r.line, "special", `${JSON.stringify(special)} is not one of ${SPECIAL_STATES.map((s) => s.code).join(", ")} (or empty for an occupation)`);
    else if (isSpecialState(code) && special && special !== code) at(r.line, "special", `code ${code} is the special state ${code}, not ${special}`);
    else state = isSpecialState(code) ? code : special ? (special as SpecialStateCode) : undefined;
    if (state && lineOfState.has(state)) at(r.line, "special", `${state} is already named on line ${lineOfState.get(state)}`);
    if (problems.length > before) continue;
    lineOfCode.set(code, r.line);
    lineOfTitle.set(title, r.line);
    if (state) lineOfState.set(state, r.line);
    labels.push(state && state !== code ? { code, title, special: state } : { code, title });
  }
  if (problems.length === 0 && !labels.some((l) => !l.special && !isSpecialState(l.code))) problems.push("no occupation (every row is a special state, or there is no row)");
  if (problems.length) {
    const more = problems.length > SHOWN ? `\n  ... and ${problems.length - SHOWN} more` : "";
    throw new LabelsFileError(`${file} is not a usable code list (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.slice(0, SHOWN).join("\n  ")}${more}`);
  }
  return { id: customLabelSetId(name), labels };
}
