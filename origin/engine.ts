// The large models of one model thread: a session per served model, and the two kinds of job they answer.
// Runs inside a worker thread (worker.ts); also usable in-process.
import { LargeModel } from "../core/large-model.ts";
import type { OrtRuntime } from "../core/small-model.ts";
import { LabelSet } from "../core/taxonomy.ts";
import { loadTokenizer } from "../core/tokenizer.ts";
import { createSession, type ExecutionProvider } from "./execution-provider.ts";
import type { Job, JobResult } from "./jobs.ts";
import type { ModelSpec } from "./model-folder.ts";
import { tokenLogprobs } from "./token-logprobs.ts";

interface Loaded {
  runtime: OrtRuntime;
  large: LargeModel;
}

export class Engine {
  readonly provider: ExecutionProvider;
  readonly notice: string | undefined;
  private readonly models: Map<string, Loaded>;

  private constructor(models: Map<string, Loaded>, provider: ExecutionProvider, notice: string | undefined) {
    this.models = models;
    this.provider = provider;
    this.notice = notice;
  }

  /** Sessions for every model on the first provider that works, each warmed up by one question. */
  static async create(specs: readonly ModelSpec[], providers: readonly ExecutionProvider[], threads: number): Promise<Engine> {
    const models = new Map<string, Loaded>();
    let provider: ExecutionProvider = "cpu";
    let notice: string | undefined;
    for (const spec of specs) {
      const session = await createSession(spec.onnx, providers, threads);
      provider = session.provider;
      notice ??= session.notice;
      const labels = new LabelSet(spec.labels.taxonomy, spec.labels.labels);
      const large = new LargeModel(session.runtime, loadTokenizer(spec.tokenizer), labels, spec.source, spec.maxTokens, spec.rendering);
      // The first run of a session is several times slower than the next: pay it here, not in a request.
      const answer = await large.predict({ person: {}, history: [{ year: 2000, occupation: labels.codes[0]! }], nextYear: 2001 });
      if (!answer.probs.every(Number.isFinite)) throw new Error(`model ${spec.name}: the large model's warm-up answer is not a distribution`);
      models.set(spec.name, { runtime: session.runtime, large });
    }
    return new Engine(models, provider, notice);
  }

  async run(job: Job): Promise<JobResult> {
    const model = this.models.get(job.model);
    if (!model) throw new Error(`model ${job.model} is not loaded in this thread`);
    const started = performance.now();
    if (job.kind === "predict") {
      const { probs, outsideMass } = await model.large.predictIds(job.ids);
      return { kind: "predict", probs, outsideMass, modelMs: performance.now() - started };
    }
    const logprobs = await tokenLogprobs(model.runtime, job.prompts);
    return { kind: "token-logprobs", logprobs, modelMs: performance.now() - started };
  }
}
