// The model threads: `size` workers (ORIGIN_CONCURRENCY), each with its own sessions, so that many model
// runs proceed at once and the HTTP thread stays free. The queue in front (queue.ts) never hands out more
// jobs than there are workers; a worker that dies fails its job and is replaced.
import { Worker } from "node:worker_threads";
import type { ExecutionProvider } from "./execution-provider.ts";
import type { Job, JobResult } from "./jobs.ts";
import type { ModelSpec } from "./model-folder.ts";

export interface WorkerInit {
  specs: ModelSpec[];
  providers: ExecutionProvider[];
  threads: number;
}

export interface WorkerRequest {
  id: number;
  job: Job;
}

export type WorkerReply =
  | { type: "ready"; provider: ExecutionProvider; notice: string | undefined }
  | { type: "failed"; error: string }
  | { type: "result"; id: number; ok: true; result: JobResult }
  | { type: "result"; id: number; ok: false; error: string };

interface PoolWorker {
  worker: Worker;
  /** The job it is running, if any. */
  pending?: { id: number; resolve(result: JobResult): void; reject(error: Error): void };
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);

export class WorkerPool {
  readonly size: number;
  provider: ExecutionProvider = "cpu";
  private readonly init: WorkerInit;
  private readonly log: (line: string) => void;
  private readonly idle: PoolWorker[] = [];
  private readonly waiters: ((w: PoolWorker) => void)[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(init: WorkerInit, size: number, log: (line: string) => void) {
    this.init = init;
    this.size = size;
    this.log = log;
  }

  /** Starts every worker and resolves once all have loaded and warmed up their models. */
  static async start(init: WorkerInit, size: number, log: (line: string) => void = console.log): Promise<WorkerPool> {
    const pool = new WorkerPool(init, size, log);
    const started = await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    const notice = started.find((s) => s.notice)?.notice;
    if (notice) log(`notice: ${notice}; running on ${started[0]!.provider}`);
    pool.provider = started[0]!.provider;
    return pool;
  }

  run(job: Job): Promise<JobResult> {
    if (this.closing) return Promise.reject(new Error("the origin is shutting down"));
    const worker = this.idle.pop();
    return worker ? this.runOn(worker, job) : new Promise<PoolWorker>((resolve) => this.waiters.push(resolve)).then((w) => this.runOn(w, job));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.idle.splice(0).map((w) => w.worker.terminate()));
  }

  private runOn(w: PoolWorker, job: Job): Promise<JobResult> {
    const id = this.nextId++;
    return new Promise<JobResult>((resolve, reject) => {
      w.pending = { id, resolve, reject };
      w.worker.postMessage({ id, job } satisfies WorkerRequest);
    });
  }

  private release(w: PoolWorker): void {
    w.pending = undefined;
    if (this.closing) void w.worker.terminate();
    else this.waiters.shift()?.(w) ?? this.idle.push(w);
  }

  /** A new worker; resolves when it is ready (and then available), rejects if it cannot load the models. */
  private spawn(): Promise<{ provider: ExecutionProvider; notice: string | undefined }> {
    const w: PoolWorker = { worker: new Worker(WORKER_URL, { workerData: this.init }) };
    return new Promise((resolve, reject) => {
      let ready = false;
      w.worker.on("message", (reply: WorkerReply) => {
        if (reply.type === "ready") {
          ready = true;
          resolve({ provider: reply.provider, notice: reply.notice });
          this.release(w);
        } else if (reply.type === "failed") {
          reject(new Error(reply.error));
          void w.worker.terminate();
        } else if (w.pending?.id === reply.id) {
          const { resolve: done, reject: fail } = w.pending;
          this.release(w);
          if (reply.ok) done(reply.result);
          else fail(new Error(reply.error));
        }
      });
      w.worker.on("error", (e) => this.log(`model thread error: ${e.message}`));
      w.worker.on("exit", (code) => {
        if (!ready) return reject(new Error(`a model thread exited with ${code} while loading`));
        const at = this.idle.indexOf(w);
        if (at >= 0) this.idle.splice(at, 1);
        w.pending?.reject(new Error(`the model thread exited with ${code} during the run`));
        w.pending = undefined;
        if (this.closing) return;
        this.log(`a model thread exited with ${code}; starting another`);
        this.spawn().catch((e: Error) => this.log(`could not replace the model thread: ${e.message}`));
      });
    });
  }
}
