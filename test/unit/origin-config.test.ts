// The origin's configuration: flags over environment, the execution provider choice, and the shared secret
// (development default, refused when set but empty, accepted from either header).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_ORIGIN_SECRET, ORIGIN_SECRET_HEADER } from "../../core/origin-protocol.ts";
import { DEFAULT_PORT, parseConfig } from "../../origin/config.ts";
import { preferredProviders } from "../../origin/execution-provider.ts";
import { presentedKey } from "../../core/access-key.ts";
import { resolveSecret } from "../../origin/secret.ts";
import { repoPath } from "../../scripts/lib/paths.ts";

describe("origin configuration", () => {
  it("defaults: 127.0.0.1:8788, model/nlsy79, 2 runs at once, 64 waiting", () => {
    const c = parseConfig([], {});
    expect(c).toMatchObject({ host: "127.0.0.1", port: DEFAULT_PORT, modelDirs: [repoPath("model", "nlsy79")], concurrency: 2, maxQueue: 64 });
    expect(c.threads).toBeGreaterThanOrEqual(1);
  });

  it("flags win over the environment; a bare model name is a folder under model/; several models may be served", () => {
    const env = { PORT: "9000", ORIGIN_MODEL_DIR: "a/x, b/y", ORIGIN_CONCURRENCY: "1", ORIGIN_MAX_QUEUE: "0" };
    expect(parseConfig([], env)).toMatchObject({ port: 9000, modelDirs: [path.resolve("a/x"), path.resolve("b/y")], concurrency: 1, maxQueue: 0 });
    const c = parseConfig(["--port", "9001", "--host", "0.0.0.0", "--model", "nlswork", "--model", "synthetic"], env);
    expect(c).toMatchObject({ port: 9001, host: "0.0.0.0", modelDirs: [repoPath("model", "nlswork"), repoPath("model", "synthetic")] });
  });

  it("refuses nonsense numbers and unknown flags", () => {
    expect(() => parseConfig([], { ORIGIN_CONCURRENCY: "0" })).toThrow(/ORIGIN_CONCURRENCY/);
    expect(() => parseConfig([], { ORIGIN_MAX_QUEUE: "lots" })).toThrow(/ORIGIN_MAX_QUEUE/);
    expect(() => parseConfig(["--bogus"], {})).toThrow();
  });

  it("CUDA first only when a GPU is present or asked for; the CPU always last", () => {
    expect(preferredProviders(undefined, false)).toEqual(["cpu"]);
    expect(preferredProviders(undefined, true)).toEqual(["cuda", "cpu"]);
    expect(preferredProviders("cuda", false)).toEqual(["cuda", "cpu"]);
    expect(preferredProviders("CPU", true)).toEqual(["cpu"]);
    expect(() => preferredProviders("tpu", false)).toThrow(/ORIGIN_EP/);
  });

  it("the secret: the development default when unset, refused when empty, presented as x-origin-secret or Bearer", () => {
    expect(resolveSecret({})).toEqual({ secret: DEV_ORIGIN_SECRET, isDevDefault: true });
    expect(resolveSecret({ ORIGIN_SECRET: "s3cret" })).toEqual({ secret: "s3cret", isDevDefault: false });
    expect(() => resolveSecret({ ORIGIN_SECRET: " " })).toThrow(/empty/);
    // The public development secret only on loopback, whether defaulted or set explicitly.
    expect(() => resolveSecret({}, "0.0.0.0")).toThrow(/refusing to listen on 0\.0\.0\.0 with the public development secret/);
    expect(() => resolveSecret({ ORIGIN_SECRET: DEV_ORIGIN_SECRET }, "10.0.0.5")).toThrow(/development secret/);
    expect(resolveSecret({}, "::1").isDevDefault).toBe(true);
    expect(resolveSecret({ ORIGIN_SECRET: "s3cret" }, "0.0.0.0")).toEqual({ secret: "s3cret", isDevDefault: false });
    expect(presentedKey(new Headers({ [ORIGIN_SECRET_HEADER]: "a" }), ORIGIN_SECRET_HEADER)).toBe("a");
    expect(presentedKey(new Headers({ authorization: "Bearer b" }), ORIGIN_SECRET_HEADER)).toBe("b");
    expect(presentedKey(new Headers({ authorization: "Basic c" }), ORIGIN_SECRET_HEADER)).toBeNull();
    expect(presentedKey(new Headers(), ORIGIN_SECRET_HEADER)).toBeNull();
  });
});
