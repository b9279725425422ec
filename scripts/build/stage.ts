// Resumable build stages: a stage reruns only when its key (its parameters and the sha256 of its inputs)
// changed or one of its outputs is missing. `npm run build:model` can be stopped and started again.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export function fileSha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** A stage's key: its parameters and the name and sha256 of each input. Its device is no part of it, so a
 * stage run elsewhere (scripts/gpu/run_stage.py computes the same key) counts as done here. */
export function stageKey(spec: Pick<StageSpec, "params" | "inputs">): string {
  return createHash("sha256")
    .update(JSON.stringify({ params: spec.params, inputs: spec.inputs.map((f) => [path.basename(f), fileSha256(f)]) }))
    .digest("hex");
}

/** A finished stage needs no training state (OUTPUT.resume.pt: scripts/lm/resume.py) any more; one copied
 *  back from a run stopped elsewhere (scripts/gpu/train.sh) would only linger. */
function forgetTrainingStates(spec: Pick<StageSpec, "outputs">): void {
  for (const o of spec.outputs) rmSync(`${o}.resume.pt`, { force: true });
}

export interface StageSpec {
  name: string;
  /** Files the stage reads: their content is part of the key. */
  inputs: readonly string[];
  /** Anything else that changes the result (hyperparameters, seeds, code version). */
  params: unknown;
  outputs: readonly string[];
  run: () => Promise<void> | void;
}

export class StageRunner {
  private readonly dir: string;
  private readonly log: (message: string) => void;

  constructor(dir: string, log: (message: string) => void) {
    this.dir = dir;
    this.log = log;
  }

  /** The file that records a finished stage's key: its content is that key alone, so that a later stage may
   *  list it among its inputs (depend on what an earlier stage was computed from, not on its bytes). */
  markerOf(spec: Pick<StageSpec, "name">): string {
    return path.join(this.dir, `${spec.name}.stage.json`);
  }

  /** Whether the stage last ran with exactly its current inputs and params (its outputs may be gone since). */
  isKeyCurrent(spec: Pick<StageSpec, "name" | "params" | "inputs">): boolean {
    const marker = this.markerOf(spec);
    return existsSync(marker) && spec.inputs.every((f) => existsSync(f)) && JSON.parse(readFileSync(marker, "utf8")).key === stageKey(spec);
  }

  /** Whether the stage's outputs are there and were made from exactly its current inputs and params. */
  isCurrent(spec: Pick<StageSpec, "name" | "params" | "inputs" | "outputs">): boolean {
    return this.isKeyCurrent(spec) && spec.outputs.every((o) => existsSync(o));
  }

  async run(spec: StageSpec): Promise<void> {
    if (this.isCurrent(spec)) {
      this.log(`${spec.name}: up to date`);
      forgetTrainingStates(spec);
      return;
    }
    const t0 = performance.now();
    await spec.run();
    const seconds = (performance.now() - t0) / 1000;
    for (const o of spec.outputs) if (!existsSync(o)) throw new Error(`stage ${spec.name} did not write ${o}`);
    writeFileSync(this.markerOf(spec), JSON.stringify({ key: stageKey(spec) }) + "\n");
    forgetTrainingStates(spec);
    this.log(`${spec.name}: done in ${seconds.toFixed(1)} s`);
  }

  /** Uses the stage's outputs as they are, stale or not (a rebuild from existing checkpoints). */
  keep(spec: StageSpec): void {
    const missing = spec.outputs.filter((o) => !existsSync(o));
    if (missing.length) throw new Error(`stage ${spec.name} has no ${missing.join(", ")} to keep: build without --export-only first`);
    this.log(`${spec.name}: kept as it is (--export-only)`);
  }
}
