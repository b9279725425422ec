// `npm run dev` (and the tests' wrangler dev) adds the local origin and its development secret, unless told
// otherwise; wrangler.toml itself names no origin, so a deployment never gets them.
import { describe, expect, it } from "vitest";
import { DEV_ORIGIN_SECRET } from "../../core/origin-protocol.ts";
import { devVarArgs } from "../../scripts/dev.ts";
import { wranglerVar } from "../../scripts/edge-models.ts";

describe("development settings", () => {
  it("adds the local origin and its secret", () => {
    expect(devVarArgs()).toEqual(["--var", "ORIGIN_URL:http://127.0.0.1:8788", "--var", `ORIGIN_SECRET:${DEV_ORIGIN_SECRET}`]);
  });

  it("leaves out what the caller sets itself, whatever its order", () => {
    expect(devVarArgs(["entry.ts", "--var", "ORIGIN_URL:", "--persist-to", "x"])).toEqual(["--var", `ORIGIN_SECRET:${DEV_ORIGIN_SECRET}`]);
    expect(devVarArgs(["--var", "ORIGIN_SECRET:s", "--var", "ORIGIN_URL:https://o.example"])).toEqual([]);
  });

  it("wrangler.toml ships neither", () => {
    expect(wranglerVar("ORIGIN_URL")).toBe("");
    expect(wranglerVar("ORIGIN_SECRET")).toBeUndefined();
  });
});
