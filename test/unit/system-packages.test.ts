// The next missing install step fails here, on every machine: each third-party module that the training
// scripts import and each system binary that the tests or scripts start must be provided by the one list of
// system packages (scripts/system-packages.ts), and that list must be satisfied on this machine. Also the
// provisioner's refusal for a user who cannot install: one line, the exact command, nothing installed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pythonExecutable } from "../../scripts/build/python.ts";
import { missingPackages } from "../../scripts/provision.ts";
import { MACHINE_BINARIES, SYSTEM_PACKAGES, providedBinaries, providedPythonModules } from "../../scripts/system-packages.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

/** Every .ts or .py file under a folder of the repository (node_modules aside). */
function sources(dir: string, ext: string): string[] {
  return (readdirSync(repoPath(dir), { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => f.endsWith(ext) && !f.includes("node_modules"))
    .map((f) => repoPath(dir, f));
}

/** Top-level modules the Python files import that are neither the standard library nor one of the files
 *  (scripts/gpu/run_stage.py imports scripts/lm/file_digest.py by path). */
function thirdPartyPythonImports(files: string[]): Record<string, string[]> {
  const lister = `
import ast, json, os, sys
found = {}
local = {os.path.splitext(os.path.basename(f))[0] for f in sys.argv[1:]}
for f in sys.argv[1:]:
    for node in ast.walk(ast.parse(open(f, encoding="utf8").read(), f)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
        for top in (n.split(".")[0] for n in names):
            if top not in sys.stdlib_module_names and top not in local and top != "__future__":
                found.setdefault(top, []).append(os.path.relpath(f))
print(json.dumps(found))`;
  const run = spawnSync(pythonExecutable(), ["-c", lister, ...files], { encoding: "utf8", cwd: repoPath() });
  if (run.status !== 0) throw new Error(`listing Python imports failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string[]>;
}

/** Programs the TypeScript starts by a literal name or absolute path, with the files that start them. */
function startedBinaries(files: string[]): Map<string, string[]> {
  const byName = /\b(?:spawn|spawnSync|execFile|execFileSync|execFileP|execSync|exec)\(\s*"([^"]+)"/g;
  const absolute = /"((?:\/usr)?(?:\/local)?\/s?bin\/[\w.+-]+)"/g;
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of [...text.matchAll(byName), ...text.matchAll(absolute)]) {
      found.set(m[1]!, [...(found.get(m[1]!) ?? []), path.relative(repoPath(), file)]);
    }
  }
  return found;
}

describe("the one list of system packages", () => {
  it("provides every third-party module that scripts/**/*.py imports", () => {
    const imports = thirdPartyPythonImports(sources("scripts", ".py"));
    expect(Object.keys(imports)).toContain("torch"); // the lister itself works
    const provided = new Set(providedPythonModules());
    const unprovided = Object.entries(imports).filter(([m]) => !provided.has(m));
    expect(unprovided, "add the Debian package that provides each module to scripts/system-packages.ts").toEqual([]);
  });

  it("provides every system binary that the tests and scripts start", () => {
    const started = startedBinaries([...sources("test", ".ts"), ...sources("scripts", ".ts")]);
    expect([...started.keys()]).toEqual(expect.arrayContaining(["/usr/bin/chromium", "/usr/bin/python3"])); // the scan itself works
    const provided = new Set([...providedBinaries(), ...MACHINE_BINARIES]);
    const unprovided = [...started].filter(([bin]) => !provided.has(bin) && !MACHINE_BINARIES.includes(path.basename(bin)));
    expect(unprovided, "add the Debian package that provides each binary to scripts/system-packages.ts").toEqual([]);
  });

  it("is satisfied on this machine (npm test's pretest installed what was missing)", () => {
    expect(missingPackages(SYSTEM_PACKAGES).map((p) => p.package)).toEqual([]);
  });
});

describe("npm run provision, for a user who cannot install", () => {
  const node = process.execPath;
  const script = repoPath("scripts", "provision.ts");
  // A list with one package that no machine has: what a user sees when something is missing.
  const dir = mkdtempSync(path.join(tmpdir(), "provision-"));
  chmodSync(dir, 0o755);
  const absentList = path.join(dir, "packages.json");
  writeFileSync(absentList, JSON.stringify([...SYSTEM_PACKAGES, { package: "python3-labor-llm-absent", why: "test", provides: { python: ["labor_llm_absent"] } }]));
  chmodSync(absentList, 0o644);

  /** Runs the provisioner as a user without root or sudo: `nobody` when the tests run as root. */
  function asUnprivileged(args: string[]) {
    const argv = process.getuid?.() === 0 ? ["runuser", "-u", "nobody", "--", node, script, ...args] : [node, script, ...args];
    return spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", cwd: "/" });
  }

  it("passes quietly when nothing is missing", () => {
    const run = asUnprivileged([]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("stops with one line naming the exact command, and installs nothing", () => {
    const run = asUnprivileged(["--packages", absentList]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^provision: missing system packages \(python3-labor-llm-absent\); run( as root)?: (sudo )?apt-get update && (sudo )?apt-get install -y --no-install-recommends python3-labor-llm-absent$/);
  });

  it("--check only reports, even for root", () => {
    const run = spawnSync(node, [script, "--check", "--packages", absentList], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringContaining("apt-get install -y --no-install-recommends python3-labor-llm-absent")]);
  });
});
