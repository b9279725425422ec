// Handing a request's jobs to the queue from a route: a full queue becomes the 503 the client retries.
import { problem, ProblemError, type Problem } from "../core/problem.ts";
import type { Job, JobResult, ResultOf } from "./jobs.ts";
import { QueueFullError, type JobQueue } from "./queue.ts";

export type ModelQueue = JobQueue<Job, JobResult>;

export const RETRY_AFTER_SECONDS = 1;

export function overloaded(queue: ModelQueue): Problem {
  const { concurrency, capacity } = queue.stats();
  return problem(
    "overloaded",
    "Origin overloaded",
    503,
    `the origin is running ${concurrency} model runs with ${capacity} requests waiting; retry in ${RETRY_AFTER_SECONDS} s`,
  );
}

/** The jobs' results in order; a ProblemError 503 (with Retry-After) when the queue is full. */
export async function runJobs<K extends Job["kind"]>(queue: ModelQueue, jobs: (Job & { kind: K })[]): Promise<ResultOf<K>[]> {
  let pending: Promise<JobResult[]>;
  try {
    pending = queue.submit(jobs);
  } catch (e) {
    if (e instanceof QueueFullError) throw new ProblemError(overloaded(queue), { "retry-after": String(RETRY_AFTER_SECONDS) });
    throw e;
  }
  return (await pending) as ResultOf<K>[];
}
