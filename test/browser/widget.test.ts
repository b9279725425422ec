// <career-next-steps> in a real headless Chromium against a real `wrangler dev` (small model answers:
// WARMUP_POLICY wait): the demo page end to end with autocomplete, keyboard-only use, the understood echo,
// ambiguous titles, error states, and the widget embedded by another origin (a "job board" page served from
// a Node server on another port, loading the script with its SRI hash and calling the API through CORS).
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WIDGET_INTEGRITY_PATH, WIDGET_SCRIPT_PATH } from "../../core/widget-asset.ts";
import { folderWorkerArgs, repoModel } from "../../scripts/lib/folder-worker.ts";
import { repoPath } from "../../scripts/lib/paths.ts";
import { freePort, startWranglerDev, type WranglerDev } from "../../scripts/lib/wrangler-dev.ts";
import { collectErrors, focusedName, isFocused, launchChromium } from "./chromium.ts";

export const SCREENSHOT = repoPath("out", "screenshots", "widget.png");

let dev: WranglerDev | undefined;
let browser: Browser | undefined;
let host: Server | undefined;
let hostBase = "";
let integrity = "";
const pages: Page[] = [];
/** The requests the /hang/ route received (it never answers them), and whether the client gave up on each. */
const hung: { method: string; url: string; closed: boolean }[] = [];

/**
 * For expect.poll on an event of the page (an answer drawn, an alert shown): its default timeout is 1 s of
 * wall clock. The poll ends as soon as the event has happened; a busy machine only makes it later.
 */
const UNTIL = { timeout: 30_000 };

/** A page that embeds the widget from the Worker, as a job board would. Query: api-base, timeout, integrity. */
function jobBoardPage(url: URL): string {
  const attr = (name: string) => (url.searchParams.has(name) ? ` ${name}="${url.searchParams.get(name)}"` : "");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Job board</title><link rel="icon" href="data:,">
<script type="module" src="${dev!.base}${WIDGET_SCRIPT_PATH}" integrity="${url.searchParams.get("integrity") ?? integrity}" crossorigin="anonymous"></script>
</head><body><h1>Jobs</h1><career-next-steps${attr("api-base")}${attr("timeout")}></career-next-steps></body></html>`;
}

beforeAll(async () => {
  [dev, browser] = await Promise.all([startWranglerDev({ args: [...folderWorkerArgs(mkdtempSync(path.join(tmpdir(), "widget-")), repoModel("nlswork")), "--var", "WARMUP_POLICY:wait"], timeoutMs: 90_000 }), launchChromium()]);
  integrity = ((await (await fetch(dev.base + WIDGET_INTEGRITY_PATH)).json()) as { integrity: string }).integrity;
  // /hang/... never answers (the widget's timeout) and records the request, and when the client closes it;
  // anything else is the job board's page.
  host = createServer((req, res) => {
    if (req.url?.startsWith("/hang/")) {
      const record = { method: req.method ?? "", url: req.url, closed: false };
      hung.push(record);
      res.once("close", () => (record.closed = true));
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(jobBoardPage(new URL(req.url ?? "/", "http://host")));
  });
  host.listen(0, "127.0.0.1");
  await new Promise((r) => host!.once("listening", r));
  hostBase = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context().close()));
});

afterAll(async () => {
  host?.closeAllConnections();
  host?.close();
  await browser?.close();
  await dev?.stop();
});

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1000, height: 1200 } });
  const page = await context.newPage();
  pages.push(page);
  const errors = collectErrors(page);
  await page.goto(url);
  await page.waitForFunction(() => customElements.get("career-next-steps") !== undefined);
  return { page, errors };
}

const title = (page: Page, n: number) => page.getByRole("combobox", { name: `Job ${n}: title` });
const year = (page: Page, n: number) => page.getByRole("spinbutton", { name: `Year of job ${n} (optional)` });
const submit = (page: Page) => page.getByRole("button", { name: "Show likely next jobs" });
const widget = (page: Page) => page.locator("career-next-steps");

/** The chart once drawn: each bar's label and percentage, as shown. */
async function bars(page: Page): Promise<{ label: string; percent: number }[]> {
  await widget(page).locator("figure .bars").waitFor();
  const rows = await widget(page).locator(".bar-row").all();
  return Promise.all(
    rows.map(async (r) => ({
      label: (await r.locator(".label").textContent())!.trim(),
      percent: Number((await r.locator(".pct").textContent())!.replace(/[<%]/g, "")),
    })),
  );
}

async function typeAndPickFirst(page: Page, n: number, text: string): Promise<string> {
  const input = title(page, n);
  await input.click();
  await input.pressSequentially(text, { delay: 20 });
  const listbox = page.getByRole("listbox");
  await listbox.waitFor();
  const first = listbox.getByRole("option").first();
  const option = (await first.evaluate((el) => el.firstChild?.textContent ?? ""))!;
  await input.press("ArrowDown");
  expect(await input.getAttribute("aria-activedescendant")).toBe(await first.getAttribute("id"));
  expect(await first.getAttribute("aria-selected")).toBe("true");
  await input.press("Enter");
  expect(await input.inputValue()).toBe(option);
  expect(await input.getAttribute("aria-expanded")).toBe("false");
  return option;
}

describe("<career-next-steps> in Chromium", () => {
  it("demo page: a history typed and picked from autocomplete gives labelled bars summing to 100%, without console errors", async () => {
    const { page, errors } = await open(dev!.base + "/");
    const picked = await typeAndPickFirst(page, 1, "registered nur");
    expect(picked).toBe("Professional/technical");
    await year(page, 1).fill("2014");
    await page.getByRole("button", { name: "Add a job" }).click();
    expect(await isFocused(title(page, 2))).toBe(true);
    await title(page, 2).fill("cashier");
    await year(page, 2).fill("2017");
    await page.getByRole("button", { name: "Add a job" }).click();
    await title(page, 3).fill("Sr. Software Eng.");
    await submit(page).click();

    const chart = await bars(page);
    expect(chart.length).toBe(6); // results (5) + all other occupations
    for (const b of chart) expect(b.label.length).toBeGreaterThan(0);
    expect(chart.at(-1)!.label).toBe("All other occupations");
    const total = chart.reduce((s, b) => s + b.percent, 0);
    expect(total).toBeGreaterThan(97);
    expect(total).toBeLessThan(103);
    // Screen readers get the same numbers as a table.
    const cells = await widget(page).locator("table tbody tr").allTextContents();
    expect(cells).toEqual(chart.map((b) => expect.stringContaining(b.label)));
    expect(await widget(page).locator("figcaption").textContent()).toBe("Likely occupation in 2020"); // 2017, 2019 filled in, + the panel's last interview gap (1)
    expect(await page.getByRole("status").textContent()).toMatch(/^Likely occupation in 2020: .+, \d+%/);

    mkdirSync(repoPath("out", "screenshots"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("echoes how each free-text title was understood", async () => {
    const { page } = await open(dev!.base + "/");
    await title(page, 1).fill("Registered Nurse - ICU nights");
    await page.getByRole("button", { name: "Add a job" }).click();
    await title(page, 2).fill("cashier");
    await submit(page).click();
    await bars(page);
    const readings = await widget(page).getByRole("list", { name: "How your jobs were read" }).getByRole("listitem").allTextContents();
    expect(readings).toEqual([
      expect.stringMatching(/^\u201cRegistered Nurse - ICU nights\u201d read as Professional\/technical \(\d+(\.\d)?% sure\)$/),
      expect.stringMatching(/^\u201ccashier\u201d read as .+ \(\d+(\.\d)?% sure\)$/),
    ]);
  });

  it("works with the keyboard alone (Tab, Enter, Space, arrows)", async () => {
    const { page } = await open(dev!.base + "/");
    const tab = async (expected: string | RegExp, shift = false) => {
      await page.keyboard.press(shift ? "Shift+Tab" : "Tab");
      expect(await focusedName(page)).toMatch(expected);
    };
    await tab("Job 1: title");
    await page.keyboard.type("nurse", { delay: 20 });
    await page.getByRole("listbox").waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await title(page, 1).inputValue()).not.toBe("nurse");
    await tab("Year of job 1 (optional)");
    await page.keyboard.type("2015");
    await tab("Add a job");
    await page.keyboard.press("Space");
    expect(await focusedName(page)).toBe("Job 2: title");
    await page.keyboard.type("cashier");
    await tab("Year of job 2 (optional)");
    await tab("Remove job 2");
    await tab("Add a job");
    await page.keyboard.press("Enter");
    expect(await focusedName(page)).toBe("Job 3: title");
    await page.keyboard.type("temp");
    await tab("Year of job 3 (optional)");
    await tab("Remove job 3");
    await page.keyboard.press("Enter");
    expect(await title(page, 3).count()).toBe(0);
    expect(await focusedName(page)).toBe("Job 2: title"); // focus stays in the list
    await tab("Year of job 2 (optional)");
    await tab("Remove job 2");
    await tab("Add a job");
    await tab("Show likely next jobs");
    await page.keyboard.press("Space");
    expect((await bars(page)).length).toBeGreaterThan(1);
    expect(await focusedName(page)).toBe("Show likely next jobs"); // focus is not lost while it works
    // Focus is visible: the focused button is outlined.
    const outline = await submit(page).evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe("solid");
  });

  it("takes its colours from CSS custom properties set by the host page", async () => {
    const { page } = await open(dev!.base + "/");
    await widget(page).evaluate((el: HTMLElement) => el.style.setProperty("--cns-accent", "rgb(200, 0, 100)"));
    expect(await submit(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(200, 0, 100)");
  });

  it("an ambiguous title offers its candidates; picking one (keyboard) asks again", async () => {
    const { page } = await open(dev!.base + "/");
    await title(page, 1).fill("worker");
    await submit(page).click();
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent(), UNTIL).toMatch(/could mean several things/);
    const group = widget(page).getByRole("group", { name: /\u201cworker\u201d could mean several things/ });
    const choices = group.getByRole("button");
    expect(await choices.count()).toBeGreaterThan(1);
    expect(await isFocused(choices.first())).toBe(true); // focus moves to the choices
    expect(await title(page, 1).getAttribute("aria-invalid")).toBe("true");
    const second = (await choices.nth(1).textContent())!.replace(/ \(\d.*$/, "");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await title(page, 1).inputValue()).toBe(second);
    expect((await bars(page)).length).toBeGreaterThan(1);
    expect(await widget(page).locator("[role=alert]").textContent()).toBe(""); // an empty alert is hidden
    const readings = await widget(page).getByRole("list", { name: "How your jobs were read" }).textContent();
    expect(readings).toContain(`${second} (picked from the list)`);
  });

  it("shows the API's problem detail at the offending field", async () => {
    const { page } = await open(dev!.base + "/");
    await title(page, 1).fill("cashier");
    await year(page, 1).fill("2020");
    await page.getByRole("button", { name: "Add a job" }).click();
    await title(page, 2).fill("nurse");
    await year(page, 2).fill("2010");
    await submit(page).click();
    await expect.poll(() => page.getByRole("alert").textContent(), UNTIL).toMatch(/^Please check the marked jobs: .*years must strictly increase/);
    expect(await year(page, 2).getAttribute("aria-invalid")).toBe("true");
    expect(await isFocused(year(page, 2))).toBe(true);
    // An empty form is caught before asking.
    await title(page, 1).fill("");
    await title(page, 2).fill("");
    await submit(page).click();
    expect(await page.getByRole("alert").textContent()).toBe("Enter at least one job title.");
  });
});

describe("embedded by another origin", () => {
  it("loads with its SRI hash and calls the API through CORS (api-base defaults to the script's origin)", async () => {
    const { page, errors } = await open(hostBase + "/");
    await title(page, 1).fill("cashier");
    await submit(page).click();
    expect((await bars(page)).length).toBeGreaterThan(1);
    expect(errors).toEqual([]);
  });

  it("is refused by the browser when the integrity hash does not match", async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    pages.push(page);
    const errors = collectErrors(page);
    await page.goto(`${hostBase}/?integrity=sha384-${"A".repeat(64)}`);
    await expect.poll(() => errors.join("\n"), UNTIL).toMatch(/integrity/i);
    expect(await page.evaluate(() => customElements.get("career-next-steps") === undefined)).toBe(true);
  });

  it("API down: a clear message, no uncaught error", async () => {
    const closed = await freePort();
    const { page, errors } = await open(`${hostBase}/?api-base=http://127.0.0.1:${closed}`);
    await title(page, 1).fill("cashier");
    await submit(page).click();
    await expect.poll(() => page.getByRole("alert").textContent(), UNTIL).toMatch(/^Could not reach the prediction service \(network error\)/);
    expect(await widget(page).locator(".results").isHidden()).toBe(true);
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });

  it("API too slow: the request is abandoned after the timeout with a clear message", async () => {
    const { page, errors } = await open(`${hostBase}/?api-base=${hostBase}/hang&timeout=1000`);
    const predictUrl = `${hostBase}/hang/v1/predict`;
    const failed: string[] = [];
    page.on("requestfailed", (r) => {
      if (r.url() === predictUrl) failed.push(`${r.method()} ${r.failure()?.errorText}`);
    });
    // The busy state (the submit button's aria-disabled) as the page saw it change, in order.
    await widget(page).evaluate((el) => {
      const button = el.shadowRoot!.querySelector("button[type=submit]")!;
      const log: string[] = [];
      Object.assign(window, { busyLog: log });
      new MutationObserver(() => {
        const now = button.getAttribute("aria-disabled") ?? "(unset)";
        if (log.at(-1) !== now) log.push(now);
      }).observe(button, { attributes: true, attributeFilter: ["aria-disabled"] });
    });
    hung.length = 0;
    await title(page, 1).fill("cashier");
    await submit(page).click();

    // The widget's own timer gives up (only its timeout says "did not answer in time"; a network error reads
    // otherwise): the poll waits far longer than that 1 s timeout, so it never races it.
    await expect.poll(() => page.getByRole("alert").textContent(), UNTIL).toBe("The prediction service did not answer in time. Please try again in a moment.");
    // The request did reach the API, which never answered, and the browser abandoned it.
    await expect.poll(() => hung.filter((h) => h.url.startsWith("/hang/v1/predict")), UNTIL).toEqual([{ method: "POST", url: "/hang/v1/predict", closed: true }]);
    await expect.poll(() => failed, UNTIL).toEqual(["POST net::ERR_ABORTED"]);
    // Busy while it waited, not busy once it gave up; no stale status, no results, no uncaught error.
    expect(await page.evaluate(() => (window as unknown as { busyLog: string[] }).busyLog)).toEqual(["true", "false"]);
    expect(await widget(page).locator(".results").getAttribute("aria-busy")).toBe("false");
    expect(await widget(page).locator(".results").isHidden()).toBe(true);
    expect(await page.getByRole("status").textContent()).toBe("");
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});
