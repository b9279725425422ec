// The benchmark's Worker: the same registry and answering code as functions/index.ts, over every model folder,
// plus routes that time many answers (and whole requests through the app) inside the isolate. workerd's clock ticks in whole milliseconds, so each
// sample is the mean of a block of answers; p50/p99 are over those block means.
import { PredictRequestSchema } from "../../../core/contract.ts";
import { edgeModelRegistry } from "../../../functions/models/edge-model.ts";
import { ALL_MODELS } from "../../../functions/models/all.js";
import { answerAtEdge } from "../../../functions/predict/pipeline.ts";
import { createApp } from "../../../functions/app.ts";
import { LOAD_TEST_ENV } from "../load-test-env.ts";

const registry = edgeModelRegistry(ALL_MODELS);
const app = createApp(registry);
/** The app's settings for the whole-request timings: those of the HTTP benchmark's Worker. */
const APP_ENV = { ...LOAD_TEST_ENV, DEFAULT_MODEL: "nlswork", ALLOWED_ORIGINS: "*" };

interface BenchRequest {
  model: string;
  requests: unknown[];
  blocks: number;
  blockSize: number;
}

/** p50 and p99 over blocks of `blockSize` calls, each block timed as a whole (whole-ms clock). */
async function blockTimes(run: () => Promise<unknown>, blocks: number, blockSize: number): Promise<{ p50_ms: number; p99_ms: number }> {
  for (let i = 0; i < 100; i++) await run();
  const means: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const t0 = performance.now();
    for (let i = 0; i < blockSize; i++) await run();
    means.push((performance.now() - t0) / blockSize);
  }
  means.sort((a, b) => a - b);
  return { p50_ms: means[Math.floor(blocks / 2)]!, p99_ms: means[Math.min(blocks - 1, Math.floor(blocks * 0.99))]! };
}

/** The whole request inside the isolate (the app's fetch: middleware, body, validation, answer, JSON), for
 *  POST /v1/predict and GET /health: what the Worker itself adds to the HTTP figures. */
async function appTimes(body: string, blocks: number, blockSize: number, ctx: ExecutionContext) {
  const call = (make: () => Request) => async () => (await app.fetch(make(), APP_ENV, ctx)).arrayBuffer();
  const predict = call(() => new Request("http://bench/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body }));
  const health = call(() => new Request("http://bench/health"));
  return { predict: await blockTimes(predict, blocks, blockSize), health: await blockTimes(health, blocks, blockSize) };
}

export default {
  async fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    if (request.method === "GET") return Response.json({ status: "ok" }); // readiness
    const url = new URL(request.url);
    if (url.pathname === "/app") {
      const { body, blocks, blockSize } = (await request.json()) as { body: string; blocks: number; blockSize: number };
      return Response.json(await appTimes(body, blocks, blockSize, ctx));
    }
    const { model, requests, blocks, blockSize } = (await request.json()) as BenchRequest;
    const loaded = await registry.get(model);
    const questions = requests.map((r) => PredictRequestSchema.parse(r));
    const results = [];
    for (const q of questions) {
      const engine = (await answerAtEdge(model, loaded, q)).response.engine;
      results.push({ engine, ...(await blockTimes(() => answerAtEdge(model, loaded, q), blocks, blockSize)) });
    }
    return Response.json({ model, load_ms: loaded.loadTimings, results });
  },
};
