// The title autocoder's index (model/titles/titles.bin, bundled as raw bytes like the models), parsed on
// the first request that needs it and kept for the isolate (about a tenth of a second: docs/titles.md).
import { loadTitleIndex, type TitleIndex } from "../../core/titles/index.ts";
import { SHIPPED_TITLE_INDEX } from "./shipped.js";

let index: TitleIndex | undefined;

export function titleIndex(): TitleIndex {
  index ??= loadTitleIndex(SHIPPED_TITLE_INDEX);
  return index;
}
