// Where the repository and the reference data live, for every offline script.
import { fileURLToPath } from "node:url";
import path from "node:path";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Reference data (taxonomies, crosswalks, panels); override with LABOR_DATA_DIR. */
export const DATA_DIR = process.env.LABOR_DATA_DIR
  ? path.resolve(process.env.LABOR_DATA_DIR)
  : path.resolve(REPO_ROOT, "../shared/data");

export const dataPath = (...parts: string[]): string => path.join(DATA_DIR, ...parts);
export const repoPath = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);
