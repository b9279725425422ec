// Four test projects, all run by `npm test`:
//   unit   - Node: core/ and scripts/ (test/unit)
//   worker - inside workerd through the Workers Vitest integration, with wrangler.toml's bindings and
//            module rules (test/worker); one workerd process and one isolate for all its files; the
//            Worker is test/worker/entry.ts: the real app with every model folder
//   e2e    - Node: real processes on loopback, e.g. `wrangler dev` (test/e2e)
//   browser - Node: the widget in headless Chromium against `wrangler dev` (test/browser)
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Some unit tests run real processes (Python tokenizer, npm run eval): generous timeouts for busy CI machines.
        test: { name: "unit", environment: "node", include: ["test/unit/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // wrangler.toml's app over every model folder (the deployment bundles only shipped.js's models).
            main: "./test/worker/entry.ts",
            // A tiny limiter for the rate-limit tests only (merged with wrangler.toml's bindings).
            // No origin: the Worker tests exercise the edge alone (test/e2e runs routing against a real origin).
            // Their cases are nlswork's (13 groups, short codes): it is their default model, whatever the deployment's.
            miniflare: {
              ratelimits: { RATE_LIMITER_TEST: { namespace_id: "9001", simple: { limit: 3, period: 60 } } },
              bindings: { ORIGIN_URL: "", DEFAULT_MODEL: "nlswork" },
            },
          }),
        ],
        test: {
          name: "worker",
          // The first request of the run starts the isolate (the 14 MB wasm travels to workerd): ~20 s.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ["test/worker/**/*.test.ts"],
          // One isolate for every Worker test file: each new isolate re-sends the bundle's modules.
          maxWorkers: 1,
          isolate: false,
        },
      },
      {
        test: { name: "e2e", environment: "node", include: ["test/e2e/**/*.test.ts"], testTimeout: 90_000, hookTimeout: 90_000 },
      },
      {
        // The widget in a real headless Chromium (Debian's chromium, playwright-core) against `wrangler dev`.
        test: { name: "browser", environment: "node", include: ["test/browser/**/*.test.ts"], testTimeout: 90_000, hookTimeout: 150_000 },
      },
    ],
  },
});
