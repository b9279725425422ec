// Headless Chromium for the browser tests: Debian's `chromium` package (npm run provision installs it), driven by
// playwright-core. Playwright's own browser download cannot run on these machines, so it is never used.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run npm run provision, or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

/** Console errors and uncaught page errors, collected from the page's start. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Whether the element has focus inside its own tree (a shadow root's activeElement). */
export const isFocused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el);

/** What has focus, by accessible-ish name: the deepest focused element's label, aria-label or text. */
export const focusedName = (page: Page): Promise<string> =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return "(body)";
    const labels = (el as HTMLInputElement).labels;
    return (el.getAttribute("aria-label") ?? labels?.[0]?.textContent ?? el.textContent ?? "").trim();
  });
