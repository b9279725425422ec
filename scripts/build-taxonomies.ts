// npm run build:taxonomies: copies the label sets the project ships (codes + English titles) from the reference data into
// core/taxonomies/*.json. Rerun when ../shared/data changes; the JSON files are committed.
import { writeFileSync } from "node:fs";
import { readCsv } from "./lib/csv.ts";
import { dataPath, repoPath } from "./lib/paths.ts";

interface LabelRow { code: string; title: string; group?: string }

function write(id: string, name: string, source: string, labels: LabelRow[]): void {
  const file = repoPath("core", "taxonomies", `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, name, source, labels }, null, 1) + "\n");
  console.log(`${file}: ${labels.length} labels`);
}

write(
  "occ1990dd",
  "occ1990dd (David Dorn's harmonised 1990 Census occupation codes)",
  "Titles: Webb (2020) replication data; groups: Dorn's occ1990dd documentation",
  readCsv(dataPath("taxonomy", "occ1990dd.csv")).map(({ fields: f }) => ({ code: f.code!, title: f.title!, group: f.group_label! })),
);
write(
  "nlswork",
  "nlswork occupation groups (NLS Young Women, occ_code)",
  "Stata nlswork documentation",
  readCsv(dataPath("panels", "nlswork_occ_codes.csv")).map(({ fields: f }) => ({ code: f.code!, title: f.title! })),
);
write(
  "isco08",
  "ISCO-08 unit groups (4 digits)",
  "ESCO v1.2, European Commission",
  readCsv(dataPath("esco", "isco08_groups_en.csv"))
    .filter(({ fields: f }) => /^\d{4}$/.test(f.code!))
    .map(({ fields: f }) => ({ code: f.code!, title: f.preferredLabel!, group: f.code!.slice(0, 1) })),
);
