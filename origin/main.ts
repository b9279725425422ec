// `npm run origin`: the large-model origin on http://127.0.0.1:8788 (flags and environment: config.ts).
// Verifies each model folder against its manifest, starts the model threads (which load and warm up the
// sessions), then listens; SIGINT/SIGTERM stop it cleanly.
import { serve } from "@hono/node-server";
import { createOriginApp } from "./app.ts";
import { parseConfig } from "./config.ts";
import type { Job, JobResult } from "./jobs.ts";
import { loadModelFolder } from "./model-folder.ts";
import { JobQueue } from "./queue.ts";
import { resolveSecret } from "./secret.ts";
import { ServedModels } from "./served-models.ts";
import { WorkerPool } from "./worker-pool.ts";

const log = (line: string) => console.log(`[origin] ${line}`);

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2), process.env);
  const { secret, isDevDefault } = resolveSecret(process.env, config.host);
  if (isDevDefault) log(`ORIGIN_SECRET is not set: using the public development default (loopback only)`);

  const models = new ServedModels(await Promise.all(config.modelDirs.map(loadModelFolder)));
  for (const m of models.all()) log(`model ${m.name}: ${m.labels.size} labels, large model ${m.parameters} parameters, context ${m.spec.maxTokens} tokens (verified)`);

  const pool = await WorkerPool.start({ specs: models.all().map((m) => m.spec), providers: config.providers, threads: config.threads }, config.concurrency, log);
  const queue = new JobQueue<Job, JobResult>((job) => pool.run(job), config.concurrency, config.maxQueue);
  const app = createOriginApp({ models, queue, secret, provider: () => pool.provider, log });

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    log(`${pool.provider} execution provider, ${config.concurrency} model threads x ${config.threads} CPU threads, queue of ${config.maxQueue}`);
    log(`listening on http://${config.host}:${info.port}`);
  });
  server.on("error", (e) => {
    log(`cannot listen on ${config.host}:${config.port}: ${e.message}`);
    process.exit(1);
  });
  const stop = () => {
    log("stopping");
    server.close();
    void pool.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: Error) => {
  log(`failed to start: ${e.message}`);
  process.exit(1);
});
