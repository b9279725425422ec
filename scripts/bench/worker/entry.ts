// The benchmark's Worker: the same registry and answering code as functions/index.ts, over every model folder,
// plus one route that times many answers inside the isolate. workerd's clock ticks in whole milliseconds, so each
// sample is the mean of a block of answers; p50/p99 are over those block means.
import { PredictRequestSchema } from "../../../core/contract.ts";
import { createModelRegistry } from "../../../functions/models/registry.ts";
import { ALL_MODELS } from "../../../functions/models/all.js";
import { answerAtEdge } from "../../../functions/predict/answer.ts";

const registry = createModelRegistry(ALL_MODELS);

interface BenchRequest {
  model: string;
  requests: unknown[];
  blocks: number;
  blockSize: number;
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method === "GET") return Response.json({ status: "ok" }); // readiness
    const { model, requests, blocks, blockSize } = (await request.json()) as BenchRequest;
    const loaded = await registry.get(model);
    const questions = requests.map((r) => PredictRequestSchema.parse(r));
    const results = [];
    for (const q of questions) {
      for (let i = 0; i < 100; i++) await answerAtEdge(model, loaded, q);
      const engine = (await answerAtEdge(model, loaded, q)).response.engine;
      const means: number[] = [];
      for (let b = 0; b < blocks; b++) {
        const t0 = performance.now();
        for (let i = 0; i < blockSize; i++) await answerAtEdge(model, loaded, q);
        means.push((performance.now() - t0) / blockSize);
      }
      means.sort((a, b) => a - b);
      results.push({ engine, p50_ms: means[Math.floor(blocks / 2)]!, p99_ms: means[Math.min(blocks - 1, Math.floor(blocks * 0.99))]! });
    }
    return Response.json({ model, load_ms: loaded.loadTimings, results });
  },
};
