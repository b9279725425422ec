// Requests against the Worker under test, through its entry point (test/worker/entry.ts, wrangler.toml's bindings and
// module rules), inside workerd.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { PROBLEM_CONTENT_TYPE, type Problem } from "../../core/problem.ts";

export const worker = (exports as unknown as { default: Fetcher }).default;
export const BASE = "http://edge.test";

export function postJson(body: unknown, init: { contentType?: string | null; path?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.contentType !== null) headers["content-type"] = init.contentType ?? "application/json";
  return worker.fetch(BASE + (init.path ?? "/v1/predict"), {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Asserts an RFC 9457 answer with the given status and returns its body. */
export async function expectProblem(res: Response, status: number): Promise<Problem> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  const body = JSON.parse(text) as Problem;
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  return body;
}

export const pointersOf = (p: Problem): string[] => (p.errors ?? []).map((e) => e.pointer);

/** Three observed years of an nlswork career (codes of the nlswork taxonomy). */
export const THREE_YEARS = [
  { year: 1978, occupation: "3" },
  { year: 1980, occupation: "4" },
  { year: 1982, occupation: "4" },
];

/**
 * Waits until the Worker answers from its small model: under WARMUP_POLICY "baseline" (wrangler.toml) the
 * first requests of an isolate are answered by the baseline while the small model loads.
 */
export async function smallModelLoaded(body: unknown = { history: THREE_YEARS }): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const answer = (await (await postJson({ ...(body as object), top_k: 1 })).json()) as { engine?: string };
    if (answer.engine === "small") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the small model did not load within 10 s");
}
