// The system packages the project needs beyond Node and npm: the one list that `npm run provision` (and so
// `npm test`'s pretest and `.ci/run`) installs from Debian, and that test/unit/system-packages.test.ts
// checks every Python import of scripts/lm/ and every system binary the tests start against.

export interface SystemPackage {
  /** Debian package name, as `apt-get install` takes it. */
  package: string;
  /** What needs it. */
  why: string;
  /** How to tell it is present: Python modules the training interpreter can import, or absolute paths of
   * binaries. A package with neither is checked with dpkg (a library or fonts that nothing names). */
  provides: { python?: string[]; bin?: string[] };
}

export const SYSTEM_PACKAGES: readonly SystemPackage[] = [
  { package: "python3", why: "runs the training scripts (scripts/lm/*.py)", provides: { bin: ["/usr/bin/python3"] } },
  { package: "python3-torch", why: "trains the language models", provides: { python: ["torch"] } },
  { package: "python3-numpy", why: "arrays for training, scoring and export", provides: { python: ["numpy"] } },
  { package: "python3-onnx", why: "writes the ONNX model that the edge runs", provides: { python: ["onnx"] } },
  // Without it Debian's torch falls back to the reference BLAS: training is about 25x slower.
  { package: "libopenblas0-openmp", why: "fast matrix products for PyTorch", provides: {} },
  { package: "chromium", why: "the browser tests (test/browser), driven by playwright-core", provides: { bin: ["/usr/bin/chromium"] } },
  { package: "fonts-dejavu-core", why: "a font for the browser tests' pages", provides: {} },
];

/** Binaries every machine of the project's kind has without an install: Node and npm (which run `npm test`)
 * and Debian's essential and required packages (sh, bash, tar, apt-get, dpkg-query, runuser: scripts/gpu/train.sh
 * needs bash, tar, coreutils, findutils, sed, awk and util-linux's setsid). `sudo` is optional: the
 * provisioner asks whether it is there. */
export const MACHINE_BINARIES: readonly string[] = ["node", "npm", "npx", "sh", "bash", "tar", "apt-get", "dpkg-query", "runuser", "sudo"];

export const providedPythonModules = (): string[] => SYSTEM_PACKAGES.flatMap((p) => p.provides.python ?? []);
export const providedBinaries = (): string[] => SYSTEM_PACKAGES.flatMap((p) => p.provides.bin ?? []);
