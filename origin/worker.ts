// A model thread. onnxruntime-node runs a session synchronously on the calling thread, so model runs on the
// HTTP thread would stop it answering anything (health, 503s) meanwhile; each worker thread owns its own
// sessions and runs one job at a time.
import { parentPort, workerData } from "node:worker_threads";
import { Engine } from "./engine.ts";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./worker-pool.ts";

const port = parentPort!;
const init = workerData as WorkerInit;

try {
  const engine = await Engine.create(init.specs, init.providers, init.threads);
  port.on("message", async ({ id, job }: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = { type: "result", id, ok: true, result: await engine.run(job) };
    } catch (e) {
      reply = { type: "result", id, ok: false, error: (e as Error).message };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: "ready", provider: engine.provider, notice: engine.notice } satisfies WorkerReply);
} catch (e) {
  port.postMessage({ type: "failed", error: (e as Error).message } satisfies WorkerReply);
}
