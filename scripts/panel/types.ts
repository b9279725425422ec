// A panel after ingest: careers in the shared Career shape, plus an account of every input row.
import type { Career } from "../../core/career.ts";
import type { CodeList, LabelSetId } from "../../core/taxonomy.ts";

export interface RowIssue {
  file: string;
  /** 1-based line in the file (the header is line 1). */
  line: number;
  field: string;
  message: string;
  /** The refusal or fix kind this issue was counted under (a key of IngestReport.refused or .fixed). */
  kind?: string;
  /** Whether the row was refused or kept after a fix. */
  outcome?: "refused" | "fixed";
}

/** Every input row is counted once as kept or refused (rows = kept + sum(refused)); fixes are counted among kept. */
export interface IngestReport {
  file: string;
  rows: number;
  kept: number;
  /** fix kind -> rows kept after that fix (for example "two-digit year expanded"); fixed rows are also in kept. */
  fixed: Record<string, number>;
  /** refusal kind -> rows refused (for example "occupation missing"). */
  refused: Record<string, number>;
  /** The first refused or fixed rows in detail (capped), each naming file, line and field. */
  issues: RowIssue[];
  people: number;
  personYears: number;
  /** What one input row is: "person-year" (panel, nlswork) or "spell" (JobHop). */
  rowUnit?: "person-year" | "spell";
  /** Where the file's codes are another system's, converted into the taxonomy: how much the mapping placed. */
  codeMapping?: CodeMappingCoverage;
}

export interface CodeMappingCoverage {
  from: string;
  to: string;
  /** Person-years carrying a code of `from` (not a missing-value or special code). */
  codedPersonYears: number;
  /** Of those, the person-years whose code the mapping places in `to`. */
  placedPersonYears: number;
  distinctCodes: number;
  /** Codes no source places (refused), most frequent first. */
  unplacedCodes: { code: string; personYears: number }[];
}

export interface Panel {
  /** Dataset name, used in the resume header ("Resume from <source>"). */
  source: string;
  /** A built-in taxonomy, or `custom:NAME` for a user's own code list (then `codeList` holds it). */
  taxonomy: LabelSetId;
  /** The user's own code list (`--labels FILE`); absent for a built-in taxonomy. */
  codeList?: CodeList;
  /** Codes of the special states that occur in this panel (EDU, UNEMP, NILF, or a code list's own names for them). */
  specialStates: string[];
  careers: Career[];
  report: IngestReport;
}
