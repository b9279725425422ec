// The origin's settings, from flags first and the environment second:
//   --host H        (default 127.0.0.1)     --port N / PORT (default 8788)
//   --model DIR     / ORIGIN_MODEL_DIR (comma-separated; default model/nlsy79, the deployment's default model); repeat --model to serve
//                   several folders; a bare name means model/NAME; the first is the default model
//   ORIGIN_CONCURRENCY (default 2) model runs at once, ORIGIN_MAX_QUEUE (default 64) requests waiting,
//   ORIGIN_EP ("cuda" | "cpu"; default: cuda when /dev/nvidia0 exists), ORIGIN_SECRET (see secret.ts),
//   ORIGIN_THREADS (CPU threads per model run; default: the cores shared out among the model threads).
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { preferredProviders, type ExecutionProvider } from "./execution-provider.ts";

/** The repository's model folders (model/NAME), found from this file: the origin needs nothing of scripts/. */
const MODELS_DIR = fileURLToPath(new URL("../model/", import.meta.url));
const shippedModel = (name: string): string => path.join(MODELS_DIR, name);

export const DEFAULT_PORT = 8788;
export const DEFAULT_HOST = "127.0.0.1";

export interface OriginConfig {
  host: string;
  port: number;
  modelDirs: string[];
  concurrency: number;
  maxQueue: number;
  providers: ExecutionProvider[];
  threads: number;
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, not ${JSON.stringify(value)}`);
  return n;
}

/** A folder as given, else model/NAME in the repository for a bare name. */
function modelDir(given: string): string {
  const resolved = path.resolve(given);
  if (existsSync(resolved) || given.includes("/")) return resolved;
  return shippedModel(given);
}

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): OriginConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: { host: { type: "string" }, port: { type: "string" }, model: { type: "string", multiple: true } },
    strict: true,
  });
  const models = values.model?.length ? values.model : (env.ORIGIN_MODEL_DIR ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const concurrency = integer("ORIGIN_CONCURRENCY", env.ORIGIN_CONCURRENCY, 2, 1);
  const cores = availableParallelism();
  return {
    host: values.host ?? DEFAULT_HOST,
    port: integer("--port / PORT", values.port ?? env.PORT, DEFAULT_PORT, 0),
    modelDirs: (models.length ? models : [shippedModel("nlsy79")]).map(modelDir),
    concurrency,
    maxQueue: integer("ORIGIN_MAX_QUEUE", env.ORIGIN_MAX_QUEUE, 64, 0),
    providers: preferredProviders(env.ORIGIN_EP),
    threads: integer("ORIGIN_THREADS", env.ORIGIN_THREADS, Math.max(1, Math.floor(cores / concurrency)), 1),
  };
}
