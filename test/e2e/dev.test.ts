// End to end: the real `wrangler dev` (workerd on loopback, the shipped model bundled as in production),
// one POST with a three-year history, then the process group is stopped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PredictResponseSchema } from "../../core/contract.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";

let dev: WranglerDev | undefined;
let base = "";

beforeAll(async () => {
  dev = await startWranglerDev();
  base = dev.base;
});

afterAll(async () => {
  await dev?.stop();
});

describe("npm run dev (wrangler dev on loopback)", () => {
  it("serves health and a prediction over the shipped default model", async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");

    const res = await fetch(`${base}/v1/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        history: [
          { year: 1978, occupation: "3" },
          { year: 1980, occupation: "4" },
          { year: 1982, occupation: "4" },
        ],
        full_distribution: true,
      }),
    });
    expect(res.status).toBe(200);
    const body = PredictResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ model: "nlswork", served_by: "edge", next_year: 1984 });
    const total = Object.values(body.distribution!).reduce((s, p) => s + p, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(Object.keys(body.distribution!)).toHaveLength(13);
  });

  it("refuses bad input over real HTTP with problem+json", async () => {
    const res = await fetch(`${base}/v1/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
