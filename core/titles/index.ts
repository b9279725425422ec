// The title autocoder and code converter, for the Worker, the origin and the scripts (platform-free).
//   titleIndexOf(bytes)                   model/titles/titles.bin -> TitleIndex  (parsed once per bytes, then kept)
//   codeTitle(index, title, {taxonomy})   free-text job title -> ranked codes with a calibrated confidence
//   searchOccupations(index, q, {...})    autocomplete (the last word may be unfinished)
//   convertCode({code, system}, {...})    SOC / O*NET-SOC / Census / ISCO codes -> the model's taxonomy
//   census1980ToOcc1990dd(code)           1980 Census occupation code -> occ1990dd label (panel ingest)
//   equivalentsOf(label, {taxonomy, system}) a model label -> the SOC 2018 / O*NET-SOC / ISCO-08 / Census 2018
//                                         codes and titles it corresponds to (prediction `equivalents`)
// docs/titles.md describes the sources, the mapping decisions and the measured accuracy.
export { loadTitleIndex, titleIndexOf, TitleIndex } from "./title-index.ts";
export {
  AMBIGUITY,
  CALIBRATION,
  codeTitle,
  searchOccupations,
  type CodeTitleResult,
  type OccupationSuggestion,
  type TitleCandidate,
  type TitleTaxonomy,
} from "./code-title.ts";
export { convertCode, crosswalksDigest, defaultCrosswalks, equivalentsOf } from "./shipped-crosswalks.ts";
export { census1980ToOcc1990dd } from "./census1980.ts";
export { CODE_SYSTEMS, isCodeSystem, type CodeCandidate, type CodeSystem, type ConvertResult } from "./convert.ts";
export {
  EQUIVALENT_SYSTEMS,
  MAX_EQUIVALENTS,
  equivalentsRefusal,
  isEquivalentSystem,
  type Equivalent,
  type Equivalents,
  type EquivalentSystem,
} from "./equivalents.ts";
export { occ1990ddToNlswork, NLSWORK_BY_DORN_GROUP, NLSWORK_OVERRIDES } from "./crosswalks.ts";
export { normaliseTitle, titleKey } from "./normalize.ts";
export { TITLE_INDEX_FORMAT, TITLE_INDEX_VERSION, type TitleIndexFile } from "./format.ts";
