// The generated OpenAPI document, linted by a standard OpenAPI linter: `npm run openapi` writes it to a temp
// file and Redocly CLI (`redocly lint`, its built-in "recommended" rules, offline) checks it, examples
// against schemas included. Zero errors; the warnings left are listed here, each with why it stays.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../functions/openapi/document.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Warnings that stay: no license is declared for the project, and the three operations that cannot fail
 *  with a 4XX (health, this document, its page) have none to document. */
const ACCEPTED_WARNINGS = [
  "info-license #/info",
  "operation-4xx-response #/paths/~1docs/get/responses",
  "operation-4xx-response #/paths/~1health/get/responses",
  "operation-4xx-response #/paths/~1openapi.json/get/responses",
];

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: "error" | "warn"; message: string; location: { pointer: string }[] }[];
}

describe("the OpenAPI document", () => {
  it("is written by npm run openapi", async () => {
    const file = join(dir, "openapi.json");
    await run(process.execPath, [repoPath("scripts", "openapi.ts"), "--out", file]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it("passes redocly lint with no errors", async () => {
    const file = join(dir, "lint.json");
    await run(process.execPath, [repoPath("scripts", "openapi.ts"), "--out", file]);
    const cli = repoPath("node_modules", "@redocly", "cli", "bin", "cli.js");
    // Exit status 1 when there are errors: the report is on stdout either way.
    const { stdout } = await run(process.execPath, [cli, "lint", file, "--extends", "recommended", "--format", "json"], {
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
    const report = JSON.parse(stdout) as LintReport;
    const listed = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    console.log(`redocly lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings\n${listed.join("\n")}`);
    expect(report.totals.errors, listed.join("\n")).toBe(0);
    const warnings = report.problems.filter((p) => p.severity === "warn").map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(warnings.sort()).toEqual(ACCEPTED_WARNINGS);
  });
});
