// End to end: the typed client (client/index.ts) and the `labor-llm-edge` CLI against a real `wrangler dev`:
// a prediction from job titles, the catalogue routes, and refusals surfacing as ApiProblem with their pointer.
import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { delimiter, join, sep } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiProblem, createClient, type Client } from "../../client/index.ts";
import { historyFrom } from "../../client/cli.ts";
import { PredictResponseSchema } from "../../core/contract.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";
import { folderWorkerArgs, repoModel } from "../../scripts/lib/folder-worker.ts";

const execFileP = promisify(execFile);

let dev: WranglerDev | undefined;
let api: Client;

beforeAll(async () => {
  // The nlswork model (the cases below are its codes and titles), whatever the deployment's default.
  dev = await startWranglerDev({ args: folderWorkerArgs(mkdtempSync(path.join(tmpdir(), "client-")), repoModel("nlswork")) });
  api = createClient({ baseUrl: dev.base + "/" });
});

afterAll(async () => {
  await dev?.stop();
});

const NURSE = [
  { year: 2015, title: "Registered nurse" },
  { year: 2018, title: "Charge nurse" },
];

/** What the thrown value was, as an ApiProblem (fails the test otherwise). */
async function refusal(promise: Promise<unknown>): Promise<ApiProblem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiProblem);
  return error as ApiProblem;
}

describe("client against wrangler dev", () => {
  it("predicts from job titles and says how it read them", async () => {
    const answer = await api.predict({ history: NURSE, top_k: 3 });
    PredictResponseSchema.parse(answer);
    expect(answer).toMatchObject({ model: "nlswork", served_by: "edge", next_year: 2019 }); // past the panel's calendar: its last gap (1987 -> 1988) after 2018
    expect(answer.predictions).toHaveLength(3);
    expect(answer.understood?.map((u) => [u.index, u.code])).toEqual([
      [0, "1"],
      [1, "1"],
    ]);
  });

  it("answers a batch in order", async () => {
    const { results } = await api.predictBatch({ requests: [{ history: NURSE }, { history: [{ year: 1980, occupation: "4" }], top_k: 1 }] });
    expect(results.map((r) => r.predictions.length)).toEqual([5, 1]);
  });

  it("throws refusals as ApiProblem with the offending field's pointer", async () => {
    const p = await refusal(api.predict({ history: [{ year: 2015, title: "Registered nurse" }, { year: 2018, occupation: "99" }] }));
    expect(p).toMatchObject({ status: 422, title: "Invalid request", pointer: "/history/1/occupation" });
    expect(p.type).toMatch(/\/invalid-request$/);
    expect(p.errors.map((e) => e.pointer)).toEqual(["/history/1/occupation"]);
    expect(p.message).toContain("422 Invalid request");

    const unknown = await refusal(api.predict({ history: NURSE, model: "nlsy" }));
    expect(unknown).toMatchObject({ status: 422, pointer: "/model" });
    expect(unknown.problem.available).toContain("nlswork");

    const query = await refusal(api.searchOccupations("nurse", { limit: 99 }));
    expect(query).toMatchObject({ status: 422, pointer: undefined });
    expect(query.problem.parameter).toBe("limit");
  });

  it("lists models and occupations, searches titles, reports health", async () => {
    const { default_model, models } = await api.models();
    expect(default_model).toBe("nlswork");
    expect(models.find((m) => m.name === "nlswork")).toMatchObject({ available: true, default: true, taxonomy: "nlswork" });
    const { occupations } = await api.occupations({ model: "nlswork" });
    expect(occupations).toHaveLength(13);
    const search = await api.searchOccupations("registered nur", { limit: 3 });
    expect(search.results[0]).toMatchObject({ code: "1", title: "Professional/technical" });
    expect(search.results.length).toBeLessThanOrEqual(3);
    expect((await api.health()).status).toBe("ok");
  });
});

describe("client without a server", () => {
  it("sends the API key as a Bearer token, and turns a non-problem failure into an ApiProblem", async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const fake = (async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway", headers: { "content-type": "text/html" } });
    }) as typeof fetch;
    const client = createClient({ baseUrl: "https://api.example.test", apiKey: "k-123", fetch: fake });
    const p = await refusal(client.searchOccupations("nurse aide", { model: "nlswork" }));
    expect(p).toMatchObject({ status: 502, type: "about:blank", title: "Bad Gateway" });
    expect(seen[0]!.url).toBe("https://api.example.test/v1/occupations/search?q=nurse+aide&model=nlswork");
    expect((seen[0]!.init!.headers as Record<string, string>).authorization).toBe("Bearer k-123");
  });
});

/**
 * The machine's own Node, as opposed to the project's (node_modules/node, which runs vitest under npm
 * scripts): under npm, the Node running npm (npm_node_execPath); then every `node` on PATH outside node_modules.
 */
function machineNodes(): string[] {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "" && !dir.split(sep).includes("node_modules"))
    .map((dir) => join(dir, "node"));
  return [process.env.npm_node_execPath ?? "", ...onPath].filter((file) => file !== "" && executable(file));
}

describe("labor-llm-edge CLI", () => {
  /** `npx labor-llm-edge ...` from the repository, as a person would type it. */
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await execFileP("npx", ["--no-install", "labor-llm-edge", ...args], { cwd: repoPath(), env: { ...process.env, NO_COLOR: "1" } });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const error = e as { code: number; stdout: string; stderr: string };
      return { code: error.code, stdout: error.stdout, stderr: error.stderr };
    }
  }

  it("prints its help", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("labor-llm-edge predict --title TITLE");
  });

  it("starts from a Node without type stripping (the machine's own Node) too", async () => {
    // The same file (through a symlink or a hard link) is the same Node.
    const identity = (file: string) => {
      const st = statSync(file);
      return `${st.dev}:${st.ino}`;
    };
    const project = realpathSync(process.execPath);
    const found = machineNodes();
    const machine = found.find((node) => identity(node) !== identity(project));
    expect(
      machine,
      `no Node other than the project's own (${project}) was found: neither npm_node_execPath (${process.env.npm_node_execPath ?? "unset"}) ` +
        `nor a \`node\` on PATH outside node_modules (found: ${found.join(", ") || "none"}); this test needs the machine's own Node`,
    ).toBeDefined();
    // A Node that strips types itself (22.18+) would run cli.ts directly: turn that off, so that bin.mjs's
    // hand-over to the project's Node is what runs, as on Node 20.
    const probe = "JSON.stringify([process.version, Boolean(process.features.typescript)])";
    const [version, strips] = JSON.parse((await execFileP(machine!, ["-p", probe])).stdout) as [string, boolean];
    const flags = strips ? ["--no-experimental-strip-types"] : [];
    const [, stripsNow] = JSON.parse((await execFileP(machine!, [...flags, "-p", probe])).stdout) as [string, boolean];
    expect(stripsNow, `${machine} (${version}) ${flags.join(" ")} still strips types`).toBe(false);

    const { stdout } = await execFileP(machine!, [...flags, repoPath("client", "bin.mjs"), "--help"]);
    expect(stdout).toContain("Usage:");
    expect(stdout).toContain("labor-llm-edge predict --title TITLE");
  });

  it("predicts from titles as a table, and as JSON", async () => {
    const table = await cli(["predict", "--title", "Registered nurse", "--title", "Charge nurse", "--year", "2015", "--year", "2018", "--top", "3", "--url", dev!.base]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/2015\s+Registered nurse\s+1 Professional\/technical/);
    expect(table.stdout).toMatch(/\n\s+1\s+1\s+Professional\/technical\s+\d+\.\d%/);
    expect(table.stdout).toContain("P(change)");

    const json = await cli(["predict", "--title", "Registered nurse", "--title", "Charge nurse", "--json", "--url", dev!.base]);
    expect(json.code, json.stderr).toBe(0);
    const answer = PredictResponseSchema.parse(JSON.parse(json.stdout));
    // No --year: consecutive years ending this year, so the default next year is after this one.
    expect(answer.next_year).toBeGreaterThan(new Date().getFullYear());
    expect(answer.understood).toHaveLength(2);
  });

  it("searches occupations", async () => {
    const { code, stdout } = await cli(["search", "registered", "nur", "--url", dev!.base]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1\s+Professional\/technical\s+0\.\d\d/);
  });

  it("prints a refusal with its pointer and exits 1; wrong usage exits 2", async () => {
    const refused = await cli(["predict", "--occupation", "99", "--url", dev!.base]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("422 Invalid request");
    expect(refused.stderr).toContain('/history/0/occupation: unknown occupation code "99"');
    const usage = await cli(["predict", "--title", "Nurse", "--year", "2015", "--year", "2016"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("one --year per entry");
  });

  it("gives titles without years consecutive years ending this year", () => {
    const entries = [
      { kind: "title" as const, value: "Nurse" },
      { kind: "occupation" as const, value: "1" },
      { kind: "title" as const, value: "Charge nurse" },
    ];
    expect(historyFrom(entries, [], 2026)).toEqual([
      { year: 2024, title: "Nurse" },
      { year: 2025, occupation: "1" },
      { year: 2026, title: "Charge nurse" },
    ]);
  });
});
