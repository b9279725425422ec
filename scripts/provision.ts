// npm run provision [-- --check] [-- --packages FILE.json]
// Makes sure the system packages of scripts/system-packages.ts are present: `npm test` runs it first
// (pretest), and so does .ci/run. Missing ones are installed from Debian when this user may (root, or
// passwordless sudo): `apt-get update` once, then one `apt-get install`. Otherwise (or with --check) it
// stops with one line naming the exact command to run, before any test starts.
import { spawnSync, type SpawnSyncOptionsWithStringEncoding } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pythonExecutable } from "./build/python.ts";
import { SYSTEM_PACKAGES, type SystemPackage } from "./system-packages.ts";

const quiet: SpawnSyncOptionsWithStringEncoding = { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] };

/** The Python modules of `modules` that the training interpreter cannot find (all, without an interpreter). */
function missingPythonModules(modules: string[]): Set<string> {
  if (modules.length === 0) return new Set();
  const probe = "import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))";
  const run = spawnSync(pythonExecutable(), ["-c", probe, ...modules], quiet);
  if (run.status !== 0) return new Set(modules);
  return new Set(run.stdout.split(/\s+/).filter(Boolean));
}

/** Packages dpkg reports as installed, of those asked; all of them off Debian, where dpkg cannot tell (a
 *  library or a font is then the user's to provide, and only speed or screenshots would suffer). */
function dpkgInstalled(packages: string[]): Set<string> {
  if (packages.length === 0) return new Set();
  const run = spawnSync("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\\n", ...packages], quiet);
  if (run.error) {
    console.error(`provision: no dpkg here, so ${packages.join(", ")} cannot be checked (Debian package names)`);
    return new Set(packages);
  }
  return new Set(run.stdout.split("\n").filter((l) => l.endsWith(" installed")).map((l) => l.split(" ")[0]!));
}

export function missingPackages(packages: readonly SystemPackage[]): SystemPackage[] {
  const absentModules = missingPythonModules(packages.flatMap((p) => p.provides.python ?? []));
  const unprobed = packages.filter((p) => !p.provides.python?.length && !p.provides.bin?.length);
  const installed = dpkgInstalled(unprobed.map((p) => p.package));
  return packages.filter((p) => {
    if (p.provides.python?.some((m) => absentModules.has(m))) return true;
    if (p.provides.bin?.some((b) => !existsSync(b))) return true;
    return unprobed.includes(p) && !installed.has(p.package);
  });
}

const isRoot = (): boolean => process.getuid?.() === 0;
const hasPasswordlessSudo = (): boolean => spawnSync("sudo", ["-n", "true"], quiet).status === 0;
const hasSudo = (): boolean => spawnSync("sh", ["-c", "command -v sudo"], quiet).status === 0;

function installCommand(names: string[], sudo: string): string {
  return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${names.join(" ")}`;
}

function fail(line: string): never {
  console.error(line);
  process.exit(1);
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, packages: { type: "string" } } });
  const packages: SystemPackage[] = values.packages ? JSON.parse(readFileSync(values.packages, "utf8")) : [...SYSTEM_PACKAGES];
  const missing = missingPackages(packages);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.package);

  // A custom interpreter (PYTHON=...) gets its modules from pip, not from Debian.
  if (process.env.PYTHON && missing.some((p) => p.provides.python?.length)) {
    fail(`provision: the Python at PYTHON=${process.env.PYTHON} lacks ${missing.flatMap((p) => p.provides.python ?? []).join(", ")}: install them into it, or unset PYTHON to use Debian's /usr/bin/python3`);
  }
  const sudo = isRoot() ? "" : hasPasswordlessSudo() ? "sudo " : undefined;
  if (values.check || sudo === undefined || !existsSync("/usr/bin/apt-get")) {
    const viaSudo = !isRoot() && hasSudo();
    const asRoot = !isRoot() && !viaSudo ? " as root" : "";
    fail(`provision: missing system packages (${names.join(", ")}); run${asRoot}: ${installCommand(names, viaSudo ? "sudo " : "")}`);
  }

  console.log(`provision: installing ${names.join(" ")} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const apt = (args: string[]) => {
    const argv = sudo ? ["sudo", "-n", "apt-get", ...args] : ["apt-get", ...args];
    const run = spawnSync(argv[0]!, argv.slice(1), { stdio: "inherit", env });
    if (run.status !== 0) fail(`provision: \`${argv.join(" ")}\` failed (exit ${run.status}); run by hand: ${installCommand(names, sudo)}`);
  };
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "--no-install-recommends", ...names]);

  const still = missingPackages(packages);
  if (still.length > 0) fail(`provision: still missing after apt-get install: ${still.map((p) => p.package).join(", ")}`);
}

if (import.meta.main) main();
