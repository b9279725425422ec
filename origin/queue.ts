// The bounded queue in front of the model: at most `concurrency` model runs at once, at most `capacity`
// requests waiting; a request beyond that is refused at once (the caller answers 503 with Retry-After)
// rather than queued for longer than any client waits.
//
// Requests are admitted, queued and drained as groups: a /v1/predict/batch request is one group of one job
// per question, and its jobs are handed to the runners back to back, before the next request's, so one
// waiting request counts once against `capacity` whatever its size. What that does and does not batch:
// each job is one ONNX call, and within it the candidates of one question (every label's continuation) are
// one batch over the prompt's cached keys and values; separate questions are separate calls, run side by
// side up to `concurrency` (one worker thread each; see worker-pool.ts). The exported graph takes a single
// prompt, so two questions cannot share a call.

export class QueueFullError extends Error {
  override name = "QueueFullError";
}

export interface QueueStats {
  /** Requests with jobs not yet started (a batch counts until its last job starts). */
  waiting: number;
  capacity: number;
  /** Jobs running now. */
  in_flight: number;
  concurrency: number;
}

interface Group<J, R> {
  jobs: readonly J[];
  /** Index of the next job to start. */
  next: number;
  results: R[];
  finished: number;
  failed: boolean;
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

export class JobQueue<J, R> {
  readonly concurrency: number;
  readonly capacity: number;
  private readonly runJob: (job: J) => Promise<R>;
  private readonly waiting: Group<J, R>[] = [];
  private running = 0;

  constructor(runJob: (job: J) => Promise<R>, concurrency: number, capacity: number) {
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`queue capacity must be a non-negative integer, not ${capacity}`);
    this.runJob = runJob;
    this.concurrency = concurrency;
    this.capacity = capacity;
  }

  stats(): QueueStats {
    return { waiting: this.waiting.length, capacity: this.capacity, in_flight: this.running, concurrency: this.concurrency };
  }

  /** Runs one request's jobs; results in job order. Throws QueueFullError (synchronously) when full. */
  submit(jobs: readonly J[]): Promise<R[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    // A free runner means nothing waits (pump() keeps it so): such a request starts now, whatever the capacity.
    if (this.running >= this.concurrency && this.waiting.length >= this.capacity)
      throw new QueueFullError(`${this.running} model runs in flight and ${this.waiting.length} requests waiting`);
    return new Promise<R[]>((resolve, reject) => {
      this.waiting.push({ jobs, next: 0, results: new Array<R>(jobs.length), finished: 0, failed: false, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const group = this.waiting[0]!;
      const index = group.next++;
      if (group.next === group.jobs.length) this.waiting.shift();
      this.running++;
      this.runJob(group.jobs[index]!)
        .then(
          (result) => {
            if (group.failed) return;
            group.results[index] = result;
            if (++group.finished === group.jobs.length) group.resolve(group.results);
          },
          (error: unknown) => this.fail(group, error),
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  /** One failed job fails its request; its jobs not yet started are dropped. */
  private fail(group: Group<J, R>, error: unknown): void {
    if (group.failed) return;
    group.failed = true;
    const at = this.waiting.indexOf(group);
    if (at >= 0) this.waiting.splice(at, 1);
    group.reject(error);
  }
}
