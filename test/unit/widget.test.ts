// The widget's file as published: ASCII-only (so the Text module the Worker serves is byte for byte the file,
// and its SRI hash is the file's), the hash that `npm run widget:sri` prints agrees with sha384 of the file,
// and docs/widget.md shows the current hash (a change to the widget's bytes must update the published one).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WIDGET_GZIP_BUDGET_BYTES } from "../../core/widget-asset.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { WIDGET_FILE, widgetFacts } from "../../scripts/widget-sri.ts";

const bytes = readFileSync(WIDGET_FILE);

describe("widget/career-next-steps.js", () => {
  it("is ASCII-only", () => {
    const outside = [...bytes].findIndex((b) => b > 0x7f);
    expect(outside, `non-ASCII byte at offset ${outside}`).toBe(-1);
  });

  it("npm run widget:sri gives sha384 of the file, and the size is within budget", async () => {
    const facts = await widgetFacts(bytes);
    expect(facts.integrity).toBe("sha384-" + createHash("sha384").update(bytes).digest("base64"));
    expect(facts.gzip_bytes).toBeLessThan(WIDGET_GZIP_BUDGET_BYTES);
  });

  it("docs/widget.md publishes the current hash", async () => {
    const { integrity } = await widgetFacts(bytes);
    const docs = readFileSync(repoPath("docs", "widget.md"), "utf8");
    const published = [...new Set(docs.match(/sha384-[A-Za-z0-9+/]{64}/g) ?? [])];
    expect(published, "run npm run widget:sri and update docs/widget.md").toEqual([integrity]);
  });
});
