// Every refusal leaves the Worker as RFC 9457 problem+json.
import { PROBLEM_CONTENT_TYPE, problem, type Problem } from "../../core/problem.ts";

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

export const notFound = (path: string): Problem => problem("not-found", "Not found", 404, `no resource at ${path}`);

export const methodNotAllowed = (method: string, allowed: string): Problem =>
  problem("method-not-allowed", "Method not allowed", 405, `${method} is not allowed here; use ${allowed}`);

export const internalError = (): Problem => problem("internal-error", "Internal error", 500, "the server failed to answer this request");
