// labor-llm-edge: quick checks of a running API from a terminal, on the typed client (client/index.ts).
// Started by client/bin.mjs (`npx labor-llm-edge ...` in the repository), which picks a Node that runs
// TypeScript. Exit status: 0 answered, 1 refused or unreachable, 2 wrong usage.
import { parseArgs } from "node:util";
import { ApiProblem, createClient, type Client, type PredictRequest, type PredictResponse } from "./index.ts";

const DEFAULT_URL = "http://127.0.0.1:8787";

export const USAGE = `labor-llm-edge: ask the next-occupation API from a terminal

Usage:
  labor-llm-edge predict --title TITLE [--title TITLE ...] [options]
  labor-llm-edge predict --occupation CODE [--occupation CODE ...] [options]
  labor-llm-edge search WORDS [--model NAME] [--limit N]
  labor-llm-edge models
  labor-llm-edge health

predict:
  --title TITLE      a job title for one observed year, oldest first (repeat it)
  --occupation CODE  a label code of the model for one observed year, instead of a title (may be mixed
                     with --title: entries keep the order given)
  --year YEAR        the year of each entry, in the same order (repeat it, once per entry); without it
                     the entries get consecutive years ending this year (3 titles in 2026: 2024, 2025, 2026)
  --next-year YEAR   the year to predict (default: the last year plus the model's usual step)
  --model NAME       the model to ask (default: the deployment's default model)
  --top N            how many predictions to show (default 5)
  --best-guess       take the most likely code of an ambiguous title instead of refusing it

search:
  WORDS              words of an occupation title; the last one may be unfinished ("registered nur")
  --limit N          how many results (default 10)

every command:
  --url URL          the API (default $LABOR_LLM_EDGE_URL, else ${DEFAULT_URL}: \`npm run dev\`)
  --key KEY          API key, sent as a Bearer token (default $LABOR_LLM_EDGE_API_KEY)
  --json             print the API's JSON answer instead of a table
  -h, --help         this help
`;

class UsageError extends Error {}

const OPTIONS = {
  title: { type: "string", multiple: true },
  occupation: { type: "string", multiple: true },
  year: { type: "string", multiple: true },
  "next-year": { type: "string" },
  model: { type: "string" },
  top: { type: "string" },
  "best-guess": { type: "boolean" },
  limit: { type: "string" },
  url: { type: "string" },
  key: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function integer(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} needs a whole number, not ${JSON.stringify(text)}`);
  return n;
}

/** The history in the order the --title and --occupation flags were given, with their years. */
export function historyFrom(
  entries: { kind: "title" | "occupation"; value: string }[],
  yearTexts: string[],
  thisYear = new Date().getFullYear(),
): PredictRequest["history"] {
  if (entries.length === 0) throw new UsageError("predict needs at least one --title or --occupation");
  if (yearTexts.length && yearTexts.length !== entries.length)
    throw new UsageError(`give one --year per entry (${entries.length} entries, ${yearTexts.length} years), or none for consecutive years ending ${thisYear}`);
  const years = yearTexts.length ? yearTexts.map((y) => integer(y, "year")!) : entries.map((_, i) => thisYear - entries.length + 1 + i);
  return entries.map((e, i) => (e.kind === "title" ? { year: years[i]!, title: e.value } : { year: years[i]!, occupation: e.value }));
}

/** Plain text columns; numbers right-aligned. */
function table(header: string[], rows: string[][], right: number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    "  " +
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const bar = (p: number) => "█".repeat(Math.round(p * 30));

export function formatPrediction(request: PredictRequest, answer: PredictResponse): string {
  const out: string[] = [];
  const where = answer.route ? `${answer.served_by} (${answer.route.reason}: ${answer.route.detail})` : answer.served_by;
  out.push(`${answer.model}: predicting ${answer.next_year}, engine ${answer.engine}, served by ${where}`);
  if (answer.degraded) out.push(`degraded: ${answer.reason ?? "a fallback answered"}`);
  const understood = new Map((answer.understood ?? []).map((u) => [u.index, u]));
  out.push(
    "",
    table(
      ["year", "given", "read as"],
      request.history.map((e, i) => {
        const u = understood.get(i);
        const given = e.title ?? e.occupation ?? `${e.code} (${e.system})`;
        return [String(e.year), given, u ? `${u.code} ${u.title} (${percent(u.confidence)})` : (e.occupation ?? "")];
      }),
    ),
    "",
    table(
      ["rank", "code", "next occupation", "probability", ""],
      answer.predictions.map((p, i) => [String(i + 1), p.code, p.title, percent(p.probability), bar(p.probability)]),
      [0, 3],
    ),
    "",
    `P(change) ${percent(answer.p_change)}` + (answer.p_exit_labor_force === undefined ? "" : `, P(leave the labour force) ${percent(answer.p_exit_labor_force)}`),
  );
  return out.join("\n");
}

function formatProblem(p: ApiProblem): string {
  const lines = [`error: ${p.status} ${p.title}: ${p.detail}`];
  for (const e of p.errors) lines.push(`  ${e.pointer || "/"}: ${e.detail}`);
  const candidates = p.problem.candidates as Record<string, { code: string; title: string; confidence: number }[]> | undefined;
  for (const [pointer, list] of Object.entries(candidates ?? {}))
    lines.push(`  candidates for ${pointer}: ${list.map((c) => `${c.code} ${c.title} (${percent(c.confidence)})`).join("; ")}`);
  if (candidates) lines.push("  (--best-guess takes the most likely one)");
  return lines.join("\n");
}

async function run(argv: string[], print: (text: string) => void, target: { url: string }): Promise<void> {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, tokens: true });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") return print(USAGE);
  target.url = values.url ?? process.env.LABOR_LLM_EDGE_URL ?? DEFAULT_URL;
  const client: Client = createClient({ baseUrl: target.url, apiKey: values.key ?? process.env.LABOR_LLM_EDGE_API_KEY });
  const show = (answer: unknown, text: () => string) => print(values.json ? JSON.stringify(answer, null, 2) : text());

  switch (command) {
    case "predict": {
      if (rest.length) throw new UsageError(`predict takes no words (${rest.join(" ")}); give each job as --title "..."`);
      const entries = tokens.flatMap((t) =>
        t.kind === "option" && (t.name === "title" || t.name === "occupation") && t.value !== undefined ? [{ kind: t.name, value: t.value }] : [],
      );
      const request: PredictRequest = { history: historyFrom(entries, values.year ?? []) };
      if (values.model) request.model = values.model;
      const next = integer(values["next-year"], "next-year");
      if (next !== undefined) request.next_year = next;
      const top = integer(values.top, "top");
      if (top !== undefined) request.top_k = top;
      if (values["best-guess"]) request.allow_best_guess = true;
      const answer = await client.predict(request);
      return show(answer, () => formatPrediction(request, answer));
    }
    case "search": {
      const q = rest.join(" ").trim();
      if (!q) throw new UsageError('search needs words of a title: labor-llm-edge search "registered nurse"');
      const answer = await client.searchOccupations(q, { model: values.model, limit: integer(values.limit, "limit") });
      return show(answer, () =>
        answer.results.length
          ? `${answer.model} (${answer.taxonomy}): "${answer.q}"\n\n` +
            table(
              ["code", "occupation", "score", "matched title"],
              answer.results.map((r) => [r.code, r.title, r.score.toFixed(2), r.matched ?? ""]),
              [2],
            )
          : `${answer.model} (${answer.taxonomy}): nothing matches "${answer.q}"`,
      );
    }
    case "models": {
      const answer = await client.models();
      return show(answer, () =>
        table(
          ["model", "default", "taxonomy", "labels", "engine", ""],
          answer.models.map((m) =>
            m.available
              ? [m.name, m.default ? "yes" : "", m.taxonomy, String(m.labels), m.engine, m.description]
              : [m.name, m.default ? "yes" : "", "", "", "unavailable", m.reason],
          ),
          [3],
        ),
      );
    }
    case "health": {
      const answer = await client.health();
      return show(answer, () => `${answer.status}, default model ${answer.default_model}\n\n` + table(["model", "state"], answer.models.map((m) => [m.name, m.state])));
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}: predict, search, models or health`);
  }
}

/** Runs the CLI; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const target = { url: "" };
  try {
    await run(argv, (text) => console.log(text), target);
    return 0;
  } catch (error) {
    if (error instanceof ApiProblem) {
      console.error(formatProblem(error));
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${(error as Error).message}\n(labor-llm-edge --help for usage)`);
      return 2;
    }
    if (error instanceof TypeError && error.message === "fetch failed") {
      const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
      console.error(`error: cannot reach the API at ${target.url} (${cause}); is \`npm run dev\` running?`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
