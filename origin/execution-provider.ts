// Where the large model runs: CUDA when this host has an NVIDIA GPU (or ORIGIN_EP=cuda asks for it), else
// the CPU. onnxruntime-node ships its CUDA provider as a separate download that its install script fetches;
// that script is off in this project (it needs the network), so without it CUDA fails at session creation
// and the origin falls back to the CPU, saying so.
import { existsSync } from "node:fs";
import * as ort from "onnxruntime-node";
import type { OrtRuntime } from "../core/small-model.ts";

export type ExecutionProvider = "cuda" | "cpu";

/** The providers to try, best first: ORIGIN_EP ("cuda" | "cpu") or, when unset, CUDA only if a GPU device exists. */
export function preferredProviders(setting: string | undefined, gpuPresent = existsSync("/dev/nvidia0")): ExecutionProvider[] {
  const wanted = setting?.trim().toLowerCase();
  if (wanted === "cpu") return ["cpu"];
  if (wanted === "cuda") return ["cuda", "cpu"];
  if (wanted) throw new Error(`ORIGIN_EP must be "cuda" or "cpu", not ${JSON.stringify(setting)}`);
  return gpuPresent ? ["cuda", "cpu"] : ["cpu"];
}

export interface Session {
  runtime: OrtRuntime;
  provider: ExecutionProvider;
  /** Why a preferred provider was not used, for the log. */
  notice?: string;
}

/** A session on the first provider that works; `threads` bounds the CPU threads of one model run. */
export async function createSession(model: Uint8Array, providers: readonly ExecutionProvider[], threads: number): Promise<Session> {
  const notices: string[] = [];
  for (const provider of providers) {
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: provider === "cuda" ? ["cuda", "cpu"] : ["cpu"],
        intraOpNumThreads: threads,
        // ORT logs a failed CUDA load itself at error level; the notice below says it once, plainly.
        logSeverityLevel: provider === "cuda" ? 4 : 2,
      });
      const notice = notices.length ? notices.join("; ") : undefined;
      return { runtime: { session, Tensor: ort.Tensor as unknown as OrtRuntime["Tensor"] }, provider, ...(notice ? { notice } : {}) };
    } catch (e) {
      notices.push(`the ${provider} execution provider is unavailable (${(e as Error).message.split("\n")[0]})`);
    }
  }
  throw new Error(notices.join("; "));
}
