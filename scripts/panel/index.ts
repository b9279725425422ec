// Panel ingest: every supported input format read into the shared Panel shape, every row accounted for.
export type { IngestReport, Panel, RowIssue } from "./types.ts";
export { readPanelCsv, writePanelCsv, panelCsvText, type PanelCsvOptions } from "./panel-csv.ts";
export { readNlswork } from "./nlswork.ts";
export { readNlsy79 } from "./nlsy79.ts";
export { readJobHop, JOBHOP_SAMPLE } from "./jobhop.ts";
export { PANEL_COLUMNS, REQUIRED_COLUMNS, COVARIATE_COLUMNS, PANEL_REFUSALS, YEAR_RANGE } from "./schema.ts";
export { readLabelsFile, LabelsFileError } from "./labels-file.ts";
