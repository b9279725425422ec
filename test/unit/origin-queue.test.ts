// The origin's bounded queue: never more runs than the concurrency, never more waiting requests than the
// capacity (the rest refused at once), requests drained whole and in arrival order, a failed job failing
// only its own request.
import { describe, expect, it } from "vitest";
import { JobQueue, QueueFullError } from "../../origin/queue.ts";

/** A runner whose jobs finish only when the test says so. */
function controlled() {
  const started: string[] = [];
  const pending = new Map<string, { resolve(v: string): void; reject(e: Error): void }>();
  let running = 0, peak = 0;
  const run = (job: string) =>
    new Promise<string>((resolve, reject) => {
      started.push(job);
      peak = Math.max(peak, ++running);
      pending.set(job, { resolve: (v) => (running--, resolve(v)), reject: (e) => (running--, reject(e)) });
    });
  const finish = async (job: string, error?: Error) => {
    const p = pending.get(job)!;
    pending.delete(job);
    if (error) p.reject(error);
    else p.resolve(job.toUpperCase());
    await new Promise((r) => setTimeout(r, 0));
  };
  return { run, started, finish, peak: () => peak };
}

describe("JobQueue", () => {
  it("runs at most `concurrency` jobs, queues at most `capacity` requests and refuses the next at once", async () => {
    const r = controlled();
    const queue = new JobQueue(r.run, 2, 1);
    const a = queue.submit(["a"]);
    const b = queue.submit(["b"]);
    const c = queue.submit(["c"]);
    expect(() => queue.submit(["d"])).toThrow(QueueFullError);
    expect(queue.stats()).toEqual({ waiting: 1, capacity: 1, in_flight: 2, concurrency: 2 });
    expect(r.started).toEqual(["a", "b"]);
    await r.finish("a");
    expect(r.started).toEqual(["a", "b", "c"]);
    await r.finish("b");
    await r.finish("c");
    expect(await Promise.all([a, b, c])).toEqual([["A"], ["B"], ["C"]]);
    expect(r.peak()).toBe(2);
    expect(queue.stats()).toMatchObject({ waiting: 0, in_flight: 0 });
  });

  it("a request's jobs are one group: counted once, drained before the next request's, results in job order", async () => {
    const r = controlled();
    const queue = new JobQueue(r.run, 1, 1);
    const first = queue.submit(["x"]);
    const batch = queue.submit(["b1", "b2", "b3"]);
    expect(() => queue.submit(["late"])).toThrow(QueueFullError);
    await r.finish("x");
    // A batch waits until its last job has started.
    expect(queue.stats()).toMatchObject({ waiting: 1, in_flight: 1 });
    expect(() => queue.submit(["late"])).toThrow(QueueFullError);
    await r.finish("b1");
    await r.finish("b2");
    const after = queue.submit(["y"]);
    await r.finish("b3");
    await r.finish("y");
    expect(r.started).toEqual(["x", "b1", "b2", "b3", "y"]);
    expect(await batch).toEqual(["B1", "B2", "B3"]);
    await Promise.all([first, after]);
  });

  it("a failing job fails its own request and drops that request's remaining jobs; others carry on", async () => {
    const r = controlled();
    const queue = new JobQueue(r.run, 1, 4);
    const batch = queue.submit(["p", "q", "s"]);
    const other = queue.submit(["o"]);
    const failed = expect(batch).rejects.toThrow("boom");
    await r.finish("p", new Error("boom"));
    await failed;
    await r.finish("o");
    expect(await other).toEqual(["O"]);
    expect(r.started).toEqual(["p", "o"]);
  });

  it("with no room to wait, a request still starts when a runner is free", async () => {
    const r = controlled();
    const queue = new JobQueue(r.run, 1, 0);
    const a = queue.submit(["a"]);
    expect(() => queue.submit(["b"])).toThrow(QueueFullError);
    await r.finish("a");
    expect(await a).toEqual(["A"]);
    expect(() => new JobQueue(r.run, 0, 1)).toThrow(RangeError);
  });
});
