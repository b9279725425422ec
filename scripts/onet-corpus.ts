// npm run corpus:onet [-- --out FILE]
// The non-representative part of the foundation corpus: O*NET occupation titles, descriptions and the
// titles people use for them, with the occ1990dd title each maps to, as plain documents separated by a
// blank line (scripts/lm/train_lm.py reads them as one sequence each).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readCsv } from "./lib/csv.ts";
import { dataPath, repoPath } from "./lib/paths.ts";

const TITLES_PER_DOCUMENT = 30;

export function onetDocuments(): string[] {
  const occ1990 = new Map<string, string>();
  for (const { fields: f } of readCsv(dataPath("crosswalks", "onetsoc2010_to_occ1990dd.csv")))
    occ1990.set(f.onetsoc2010!, f.occ1990dd_title!);
  const alternates = new Map<string, string[]>();
  for (const { fields: f } of readCsv(dataPath("onet", "alternate_titles.csv"))) {
    const list = alternates.get(f["O*NET-SOC Code"]!) ?? [];
    list.push(f["Alternate Title"]!);
    alternates.set(f["O*NET-SOC Code"]!, list);
  }
  const docs: string[] = [];
  for (const { fields: f } of readCsv(dataPath("onet", "occupation_data.csv"))) {
    const code = f["O*NET-SOC Code"]!, title = f.Title!;
    const census = occ1990.get(code) ?? occ1990.get(code.slice(0, 7) + ".00");
    const head = [`Occupation: ${title}`, ...(census ? [`Census occupation: ${census}`] : [])];
    docs.push([...head, `Description: ${f.Description}`].join("\n") + "\n");
    const alts = alternates.get(code) ?? [];
    for (let i = 0; i < alts.length; i += TITLES_PER_DOCUMENT)
      docs.push([...head, `Also called: ${alts.slice(i, i + TITLES_PER_DOCUMENT).join("; ")}`].join("\n") + "\n");
  }
  return docs;
}

if (import.meta.main) {
  const { values: args } = parseArgs({ options: { out: { type: "string" } } });
  const out = args.out ?? repoPath("out", "corpus", "onet.txt");
  mkdirSync(path.dirname(out), { recursive: true });
  const docs = onetDocuments();
  writeFileSync(out, docs.join("\n"));
  console.log(`${out}: ${docs.length} documents`);
}
