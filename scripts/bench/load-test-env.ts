// The Worker's settings while the benchmarks time it: every answer computed at the edge (no response cache,
// no origin), the small model waited for, and no per-client limit (every request comes from one address).
// Platform-free: the bench Worker (workerd) and the Node scripts both read it.
export const LOAD_TEST_ENV = { RATE_LIMIT: "off", CACHE_TTL_SECONDS: "0", WARMUP_POLICY: "wait", ORIGIN_URL: "" } as const;

/** The same settings as `wrangler dev --var NAME:VALUE` arguments. */
export const LOAD_TEST_VARS: string[] = Object.entries(LOAD_TEST_ENV).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
