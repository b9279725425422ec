// npm scripts put node_modules/.bin first on PATH, so `node` there is the Node the project installs from
// the npm registry (package.json's "node" devDependency), not the machine's. wrangler needs >= 22.12.
import { describe, expect, it } from "vitest";

describe("runtime", () => {
  it("runs on the project's Node (22.12 or newer), not an end-of-life system Node", () => {
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    expect(major).toBeGreaterThanOrEqual(22);
    if (major === 22) expect(minor).toBeGreaterThanOrEqual(12);
  });
});
