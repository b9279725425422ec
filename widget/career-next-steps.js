// <career-next-steps>: a "where do people go from here" widget for job boards. The visitor enters past jobs
// as free-text titles (with autocomplete), and sees the likely next occupations as a bar chart, from this
// service's POST /v1/predict. One dependency-free ES module, no build step; served by the Worker at
// /widget/v1/career-next-steps.js (immutable, with a published SRI hash: these bytes must not change within
// v1). Attributes: api-base, api-key, model, results, max-jobs, timeout. Docs: docs/widget.md.
// Kept ASCII-only (non-ASCII text as \u escapes) so that the served bytes are exactly this file's bytes.

/** The API answers where the script came from, unless api-base says otherwise. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;
/** Years between jobs whose year the visitor left empty (the shipped model's step between observations). */
const STEP_YEARS = 2;
const SEARCH_DELAY_MS = 250;
const SUGGESTIONS = 6;

const CSS = `
:host{display:block;container-type:inline-size;max-width:var(--cns-max-width,40rem);padding:var(--cns-padding,1rem);font-family:var(--cns-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);font-size:var(--cns-font-size,1rem);line-height:1.4;color:var(--cns-fg,#1f2328);background:var(--cns-bg,#fff);border:1px solid var(--cns-border,#8c959f);border-radius:var(--cns-radius,8px)}
:host([hidden]){display:none}
*{box-sizing:border-box}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{font-weight:600;padding:0}
p{margin:.25rem 0}
.hint,.note,.matched{color:var(--cns-muted,#59636e);font-size:.875em}
ol,ul{margin:0;padding:0;list-style:none}
.jobs{display:grid;gap:.75rem;margin:.75rem 0}
.job{display:grid;grid-template-columns:1fr 7rem auto;gap:.25rem .5rem;align-items:end}
.job>.field-error,.job>.pick{grid-column:1/-1}
label{display:block;font-size:.875em;font-weight:500;margin-bottom:.125rem}
input{font:inherit;color:inherit;background:var(--cns-input-bg,var(--cns-bg,#fff));border:1px solid var(--cns-border,#8c959f);border-radius:calc(var(--cns-radius,8px)/2);padding:.4rem .5rem;width:100%}
input[aria-invalid=true]{border:2px solid var(--cns-error,#b42318)}
button{font:inherit;cursor:pointer;border:1px solid var(--cns-accent,#0550ae);border-radius:calc(var(--cns-radius,8px)/2);padding:.4rem .8rem;background:transparent;color:var(--cns-accent,#0550ae)}
button.primary{background:var(--cns-accent,#0550ae);color:var(--cns-accent-fg,#fff)}
button[aria-disabled=true]{opacity:.6;cursor:progress}
button:disabled{opacity:.5;cursor:not-allowed}
button[hidden],.listbox[hidden],.results[hidden]{display:none}
:focus-visible{outline:3px solid var(--cns-focus,var(--cns-accent,#0550ae));outline-offset:2px}
.combo{position:relative}
.listbox{position:absolute;z-index:10;left:0;right:0;top:100%;margin-top:2px;padding:.25rem 0;max-height:16rem;overflow:auto;background:var(--cns-bg,#fff);border:1px solid var(--cns-border,#8c959f);border-radius:calc(var(--cns-radius,8px)/2);box-shadow:0 4px 12px rgb(0 0 0/.15)}
[role=option]{padding:.35rem .6rem;cursor:pointer}
[role=option]:hover,[role=option][aria-selected=true]{background:var(--cns-highlight,#ddf4ff)}
[role=option][aria-selected=true]{outline:2px solid var(--cns-accent,#0550ae);outline-offset:-2px}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:.75rem}
.status{min-height:1.4em;margin-top:.5rem}
.error{color:var(--cns-error,#b42318);border-left:4px solid currentColor;padding:.25rem .6rem;margin:.5rem 0}
.field-error{color:var(--cns-error,#b42318);font-size:.875em;margin:0}
.error:empty,.field-error:empty,.pick:empty{display:none}
.choices{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.25rem}
figure{margin:1rem 0 .5rem}
figcaption,.sub{font-weight:600;margin-bottom:.5rem}
.bars{display:grid;gap:.4rem}
.bar-row{display:grid;grid-template-columns:minmax(6rem,38%) 1fr 3.5rem;gap:.5rem;align-items:center}
.track{height:.9rem;border-radius:999px;overflow:hidden;background:var(--cns-track,#e6eaef)}
.bar{display:block;height:100%;min-width:2px;border-radius:inherit;background:var(--cns-bar,var(--cns-accent,#0550ae))}
.other .bar{background:var(--cns-bar-other,#8c959f)}
.pct{text-align:right;font-variant-numeric:tabular-nums}
.understood li{margin:.2rem 0}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@container (max-width:26rem){.job{grid-template-columns:1fr 5.5rem}.job>.remove{grid-column:1/-1;justify-self:start}.bar-row{grid-template-columns:1fr auto}.track{grid-column:1/-1;grid-row:2}}
@media (prefers-reduced-motion:no-preference){.bar{transition:width .3s}}
@media (forced-colors:active){.bar{forced-color-adjust:none;background:CanvasText}.track{border:1px solid CanvasText}}
`;

let sheet;
/** One constructable stylesheet for every instance: no inline <style>, so strict CSPs need no exception. */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** Builds an element: attributes (on* are listeners), then children. Text always goes in as text nodes. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

const q = (s) => `\u201c${s}\u201d`;
/** 0.3215 -> "32%", 0.043 -> "4.3%". */
export function percent(p) {
  if (p >= 0.1) return `${Math.round(p * 100)}%`;
  return p >= 0.0005 ? `${(p * 100).toFixed(1)}%` : "<0.1%";
}

/** Years for every job: the given ones, empty ones STEP_YEARS from their neighbours (this year at the end). */
export function fillYears(years, thisYear = new Date().getFullYear()) {
  const out = years.slice();
  if (out.every((y) => y == null)) return out.map((_, i) => thisYear - STEP_YEARS * (out.length - 1 - i));
  for (let i = 1; i < out.length; i++) if (out[i] == null && out[i - 1] != null) out[i] = out[i - 1] + STEP_YEARS;
  for (let i = out.length - 2; i >= 0; i--) if (out[i] == null) out[i] = out[i + 1] - STEP_YEARS;
  return out;
}

let instances = 0;

export class CareerNextSteps extends HTMLElement {
  static observedAttributes = ["max-jobs"];
  #id = `cns${++instances}`;
  #seq = 0;
  #rows = [];
  #cache = new Map();
  #busy = false;
  #list;
  #add;
  #submitButton;
  #status;
  #error;
  #results;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styles()];
    const hint = `${this.#id}-hint`;
    root.append(
      h(
        "form",
        { novalidate: true, "aria-describedby": hint, onsubmit: (e) => (e.preventDefault(), this.#submit()) },
        h(
          "fieldset",
          {},
          h("legend", {}, "Your jobs so far, oldest first"),
          h("p", { class: "hint", id: hint }, "Type a job title, then pick a suggestion or keep your own words. Years are optional."),
          (this.#list = h("ol", { class: "jobs" })),
          (this.#add = h("button", { type: "button", class: "add", onclick: () => this.#addRow(true) }, "Add a job")),
        ),
        h("div", { class: "actions" }, (this.#submitButton = h("button", { type: "submit", class: "primary" }, "Show likely next jobs"))),
      ),
      (this.#status = h("p", { class: "status", role: "status", "aria-live": "polite" })),
      (this.#error = h("div", { class: "error", role: "alert" })),
      (this.#results = h("div", { class: "results", hidden: true })),
    );
    this.#addRow(false);
  }

  attributeChangedCallback() {
    this.#relabel();
  }

  get #base() {
    return (this.getAttribute("api-base") || SCRIPT_ORIGIN).replace(/\/+$/, "");
  }
  #int(name, fallback, min, max) {
    const n = Number.parseInt(this.getAttribute(name) ?? "", 10);
    return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
  }
  get #maxJobs() {
    return this.#int("max-jobs", 10, 1, 60);
  }

  // ---- the list of jobs ----

  #addRow(focus) {
    if (this.#rows.length >= this.#maxJobs) return;
    const id = `${this.#id}-j${++this.#seq}`;
    const row = { id, code: "", items: [], active: -1, timer: 0, ctrl: null };
    row.titleLabel = h("label", { for: `${id}-t`, id: `${id}-tl` });
    row.input = h("input", {
      id: `${id}-t`,
      type: "text",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-lb`,
      "aria-describedby": `${id}-err`,
      autocomplete: "off",
      spellcheck: "false",
      maxlength: 200,
      oninput: () => this.#typed(row),
      onkeydown: (e) => this.#key(row, e),
      onblur: () => this.#close(row),
    });
    row.listbox = h("ul", { id: `${id}-lb`, class: "listbox", role: "listbox", "aria-labelledby": `${id}-tl`, hidden: true });
    row.yearLabel = h("label", { for: `${id}-y` });
    row.year = h("input", { id: `${id}-y`, type: "number", inputmode: "numeric", min: 1900, max: 2100, step: 1, "aria-describedby": `${id}-err` });
    row.remove = h("button", { type: "button", class: "remove", onclick: () => this.#removeRow(row) }, "Remove");
    row.err = h("p", { id: `${id}-err`, class: "field-error" });
    row.pick = h("div", { class: "pick" });
    row.li = h(
      "li",
      { class: "job" },
      h("div", {}, row.titleLabel, h("div", { class: "combo" }, row.input, row.listbox)),
      h("div", {}, row.yearLabel, row.year),
      row.remove,
      row.err,
      row.pick,
    );
    this.#rows.push(row);
    this.#list.append(row.li);
    this.#relabel();
    if (focus) row.input.focus();
  }

  #removeRow(row) {
    const i = this.#rows.indexOf(row);
    if (i < 0 || this.#rows.length === 1) return;
    clearTimeout(row.timer);
    row.ctrl?.abort();
    row.li.remove();
    this.#rows.splice(i, 1);
    this.#relabel();
    // Focus stays in the list: the job that took its place, else the one before.
    this.#rows[Math.min(i, this.#rows.length - 1)].input.focus();
    this.#say(`Job ${i + 1} removed.`);
  }

  #relabel() {
    if (!this.#list) return;
    this.#rows.forEach((row, i) => {
      row.titleLabel.textContent = `Job ${i + 1}: title`;
      row.yearLabel.replaceChildren("Year", h("span", { class: "sr-only" }, ` of job ${i + 1}`), " (optional)");
      row.remove.setAttribute("aria-label", `Remove job ${i + 1}`);
      row.remove.hidden = this.#rows.length === 1;
    });
    this.#add.disabled = this.#rows.length >= this.#maxJobs;
  }

  // ---- autocomplete (WAI-ARIA combobox with a listbox popup) ----

  #typed(row) {
    row.code = "";
    row.items = [];
    this.#clearRow(row);
    clearTimeout(row.timer);
    row.timer = setTimeout(() => this.#search(row), SEARCH_DELAY_MS);
  }

  #key(row, e) {
    const open = !row.listbox.hidden;
    const n = row.items.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        if (n) this.#open(row, row.items);
        else return this.#search(row);
      }
      this.#activate(row, e.key === "ArrowDown" ? (row.active + 1) % n : row.active <= 0 ? n - 1 : row.active - 1);
    } else if (e.key === "Enter" && open && row.active >= 0) {
      e.preventDefault();
      this.#choose(row, row.active);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      this.#close(row);
    }
  }

  async #search(row) {
    clearTimeout(row.timer);
    const text = row.input.value.trim();
    row.ctrl?.abort();
    if (text.length < 2) return this.#close(row);
    const ctrl = (row.ctrl = new AbortController());
    const params = new URLSearchParams({ q: text, limit: String(SUGGESTIONS) });
    const model = this.getAttribute("model");
    if (model) params.set("model", model);
    let items = this.#cache.get(params.toString());
    if (!items) {
      try {
        const { res, data } = await this.#request(`/v1/occupations/search?${params}`, {}, ctrl);
        items = res.ok && Array.isArray(data?.results) ? data.results : [];
        if (res.ok) this.#cache.set(params.toString(), items);
      } catch {
        items = []; // suggestions are a convenience: the title itself still works
      }
    }
    // A stale answer (the visitor typed on, or left) is dropped.
    if (row.ctrl !== ctrl || row.input.value.trim() !== text || this.shadowRoot.activeElement !== row.input) return;
    this.#open(row, items);
  }

  #open(row, items) {
    row.items = items;
    row.active = -1;
    row.input.removeAttribute("aria-activedescendant");
    if (!items.length) return this.#close(row);
    row.listbox.replaceChildren(
      ...items.map((item, i) =>
        h(
          "li",
          { id: `${row.id}-o${i}`, role: "option", "aria-selected": "false", onpointerdown: (e) => e.preventDefault(), onclick: () => this.#choose(row, i) },
          item.title,
          item.matched && item.matched.toLowerCase() !== item.title.toLowerCase() ? h("span", { class: "matched" }, ` (${item.matched})`) : null,
        ),
      ),
    );
    row.listbox.hidden = false;
    row.input.setAttribute("aria-expanded", "true");
  }

  #activate(row, i) {
    row.active = i;
    for (const [j, option] of [...row.listbox.children].entries()) option.setAttribute("aria-selected", String(j === i));
    const option = row.listbox.children[i];
    row.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  #choose(row, i) {
    const item = row.items[i];
    row.input.value = item.title;
    row.code = item.code;
    this.#close(row);
    this.#clearRow(row);
    row.input.focus();
  }

  #close(row) {
    row.ctrl?.abort();
    clearTimeout(row.timer);
    row.listbox.hidden = true;
    row.active = -1;
    row.input.setAttribute("aria-expanded", "false");
    row.input.removeAttribute("aria-activedescendant");
  }

  // ---- asking the API ----

  /** fetch with the API key and a timeout (AbortController); the body is read inside the time limit. */
  async #request(path, init, ctrl = new AbortController()) {
    const headers = { accept: "application/json", ...init.headers };
    const key = this.getAttribute("api-key");
    if (key) headers["x-api-key"] = key;
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), ctrl.abort()), this.#int("timeout", 10000, 100, 120000));
    try {
      const res = await fetch(this.#base + path, { ...init, headers, signal: ctrl.signal });
      const text = await res.text();
      let data = null;
      try {
        data = JSON.parse(text);
      } catch {
        // not JSON: reported by status below
      }
      return { res, data };
    } catch (error) {
      throw timedOut ? Object.assign(new Error("timeout"), { name: "TimeoutError" }) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #submit() {
    if (this.#busy) return;
    for (const row of this.#rows) this.#close(row);
    this.#clearAll();
    const used = this.#rows.filter((r) => r.input.value.trim());
    if (!used.length) return this.#fieldError(this.#rows[0], this.#rows[0].input, "Enter at least one job title.");
    const years = [];
    for (const row of used) {
      const text = row.year.value.trim();
      const year = text === "" ? null : Number(text);
      if (year !== null && !(Number.isInteger(year) && year >= 1900 && year <= 2100))
        return this.#fieldError(row, row.year, "Enter a year from 1900 to 2100, or leave it empty.");
      years.push(year);
    }
    const filled = fillYears(years);
    const history = used.map((r, i) => (r.code ? { year: filled[i], occupation: r.code } : { year: filled[i], title: r.input.value.trim() }));
    const body = { history, top_k: this.#int("results", 5, 1, 50) };
    const model = this.getAttribute("model");
    if (model) body.model = model;

    this.#setBusy(true);
    this.#say("Looking up likely next jobs\u2026");
    try {
      const { res, data } = await this.#request("/v1/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (res.ok && Array.isArray(data?.predictions)) this.#show(data, used);
      else this.#refused(res, data, used);
    } catch (error) {
      this.#fail(
        error.name === "TimeoutError"
          ? "The prediction service did not answer in time. Please try again in a moment."
          : "Could not reach the prediction service (network error). Please check your connection and try again.",
      );
    } finally {
      this.#setBusy(false);
    }
  }

  #refused(res, data, used) {
    const detail = typeof data?.detail === "string" ? data.detail : `The service answered with HTTP ${res.status}.`;
    const problems = res.status === 422 && Array.isArray(data?.errors) ? data.errors : [];
    let first;
    let ambiguous = 0;
    for (const e of problems) {
      const m = /^\/history\/(\d+)\/(\w+)/.exec(e.pointer || "");
      const row = m && used[Number(m[1])];
      if (!row) continue;
      const candidates = data.candidates?.[e.pointer];
      if (candidates?.length) {
        ambiguous++;
        first ??= this.#offer(row, candidates);
      } else first ??= this.#mark(row, m[2] === "year" ? row.year : row.input, e.detail);
    }
    if (!first) {
      const retry = res.status === 429 && res.headers.get("retry-after");
      return this.#fail(`Sorry, no prediction this time: ${detail}${retry ? ` Try again in ${retry} s.` : ""}`);
    }
    this.#say("");
    this.#error.textContent = ambiguous
      ? "Some job titles could mean several things: pick what you meant below each one."
      : `Please check the marked jobs: ${detail}`;
    first.focus();
  }

  /** Lists an ambiguous title's candidates as buttons; returns the first, to take focus. */
  #offer(row, candidates) {
    const label = `${row.id}-pq`;
    const buttons = candidates.map((c) =>
      h("button", { type: "button", class: "choice", onclick: () => this.#pick(row, c) }, `${c.title} (${percent(c.confidence)})`),
    );
    row.pick.replaceChildren(
      h("p", { id: label }, `${q(row.input.value.trim())} could mean several things. Did you mean:`),
      h("div", { class: "choices", role: "group", "aria-labelledby": label }, buttons),
    );
    row.input.setAttribute("aria-invalid", "true");
    return buttons[0];
  }

  #pick(row, candidate) {
    row.input.value = candidate.title;
    row.code = candidate.code;
    this.#clearRow(row);
    row.input.focus();
    // Once every ambiguous title is settled, ask again.
    if (this.#rows.every((r) => !r.pick.childElementCount)) {
      this.#error.textContent = "";
      this.#submit();
    }
  }

  #show(data, used) {
    const predictions = data.predictions;
    const rest = Math.max(0, 1 - predictions.reduce((s, p) => s + p.probability, 0));
    // The bars add up to 100%: the occupations not listed share one last bar.
    const bars = rest >= 0.0005 ? [...predictions, { title: "All other occupations", probability: rest, other: true }] : predictions;
    const caption = `Likely occupation in ${data.next_year}`;
    const readings = used.map((row, i) => {
      const u = data.understood?.find((x) => x.index === i);
      const given = row.input.value.trim();
      return u
        ? h("li", {}, `${q(u.given.title ?? given)} read as `, h("strong", {}, u.title), ` (${percent(u.confidence)} sure)`)
        : h("li", {}, h("strong", {}, given), " (picked from the list)");
    });
    const readingsLabel = `${this.#id}-ul`;
    const parts = [
      h(
        "figure",
        { class: "chart" },
        h("figcaption", {}, caption),
        h(
          "div",
          { class: "bars", "aria-hidden": "true" },
          bars.map((b) => {
            const bar = h("span", { class: "bar" });
            bar.style.width = `${(b.probability * 100).toFixed(2)}%`; // CSSOM, not a style attribute: CSP-safe
            return h("div", { class: b.other ? "bar-row other" : "bar-row" }, h("span", { class: "label" }, b.title), h("span", { class: "track" }, bar), h("span", { class: "pct" }, percent(b.probability)));
          }),
        ),
        h(
          "table",
          { class: "sr-only" },
          h("caption", {}, `${caption}, with probabilities`),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Occupation"), h("th", { scope: "col" }, "Probability"))),
          h("tbody", {}, bars.map((b) => h("tr", {}, h("th", { scope: "row" }, b.title), h("td", {}, percent(b.probability))))),
        ),
      ),
      typeof data.p_change === "number" ? h("p", { class: "change" }, `Chance of a change of occupation: ${percent(data.p_change)}`) : null,
      data.degraded ? h("p", { class: "note" }, "A simpler model answered while the main one starts; ask again in a moment for its answer.") : null,
      h("div", { class: "understood" }, h("p", { class: "sub", id: readingsLabel }, "How your jobs were read"), h("ul", { "aria-labelledby": readingsLabel }, readings)),
    ];
    this.#results.replaceChildren(...parts.filter(Boolean));
    this.#results.hidden = false;
    const top = predictions[0];
    this.#say(top ? `${caption}: ${top.title}, ${percent(top.probability)}. ${bars.length} bars shown.` : "No prediction.");
  }

  // ---- messages ----

  #say(text) {
    this.#status.textContent = text;
  }

  #fail(message) {
    this.#say("");
    this.#results.hidden = true;
    this.#error.textContent = message;
  }

  #mark(row, control, message) {
    control.setAttribute("aria-invalid", "true");
    row.err.textContent = message;
    return control;
  }

  #fieldError(row, control, message) {
    this.#mark(row, control, message);
    this.#error.textContent = message;
    control.focus();
  }

  #clearRow(row) {
    row.err.textContent = "";
    row.pick.replaceChildren();
    row.input.removeAttribute("aria-invalid");
    row.year.removeAttribute("aria-invalid");
  }

  #clearAll() {
    this.#error.textContent = "";
    for (const row of this.#rows) this.#clearRow(row);
  }

  #setBusy(busy) {
    this.#busy = busy;
    // aria-disabled, not disabled: the button keeps focus while the answer is on its way.
    this.#submitButton.setAttribute("aria-disabled", String(busy));
    this.#results.setAttribute("aria-busy", String(busy));
  }
}

if (!customElements.get("career-next-steps")) customElements.define("career-next-steps", CareerNextSteps);
