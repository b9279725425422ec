// RFC 9457 problem details: the one shape every refusal takes, at the edge and at the origin, and the
// Web-standard Response that carries it.
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface InvalidParam {
  /** JSON pointer (RFC 6901) of the offending field in the request body. */
  pointer: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** JSON pointer of the first offending field, when the problem is in the body. */
  pointer?: string;
  errors?: InvalidParam[];
  [extension: string]: unknown;
}

const TYPE_BASE = "https://labor-llm-edge.dev/problems/";

/**
 * A refusal, thrown where it is found and turned into problem+json once, by each app's onError (Hono's
 * HTTPException pattern). Its message is the detail, which may quote the request: never log it.
 */
export class ProblemError extends Error {
  override name = "ProblemError";
  readonly problem: Problem;
  /** Response headers that belong to the refusal (Allow, Accept-Post, Retry-After). */
  readonly headers: Record<string, string>;

  constructor(problem: Problem, headers: Record<string, string> = {}) {
    super(problem.detail);
    this.problem = problem;
    this.headers = headers;
  }
}

export function problem(slug: string, title: string, status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: TYPE_BASE + slug, title, status, detail, ...extra };
}

/** A 422 for field-level errors; the first error's pointer is repeated at top level. */
export function invalidRequest(errors: InvalidParam[], detail?: string): Problem {
  return problem("invalid-request", "Invalid request", 422, detail ?? errors.map((e) => `${e.pointer || "/"}: ${e.detail}`).join("; "), {
    pointer: errors[0]?.pointer ?? "",
    errors,
  });
}

/**
 * Every item checked by `check`, all or nothing: the field errors of every item's refusal (each under its
 * own pointer, with its `candidates`) thrown together as one 422, so a client fixes a batch in one round. A
 * refusal that is not about fields (a model unavailable) is thrown as it is.
 */
export async function allOrNothing<T, R>(items: readonly T[], check: (item: T, index: number) => R | Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const errors: InvalidParam[] = [];
  let candidates: Record<string, unknown> = {};
  for (const [i, item] of items.entries()) {
    try {
      results.push(await check(item, i));
    } catch (e) {
      if (!(e instanceof ProblemError) || !e.problem.errors?.length) throw e;
      errors.push(...e.problem.errors);
      candidates = { ...candidates, ...(e.problem.candidates as Record<string, unknown> | undefined) };
    }
  }
  if (errors.length) throw new ProblemError({ ...invalidRequest(errors), ...(Object.keys(candidates).length ? { candidates } : {}) });
  return results;
}

/** RFC 6901 pointer from a path of keys and indices. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/** The refusal of a model name this server does not serve, at a body field (`pointer`) or a query parameter. */
export function unknownModel(name: string, available: readonly string[], at: { pointer: string } | { parameter: string }): Problem {
  const detail = notServedDetail(name, available);
  const where = "pointer" in at ? { pointer: at.pointer, errors: [{ pointer: at.pointer, detail }] } : { parameter: at.parameter };
  return problem("unknown-model", "Unknown model", 422, detail, { ...where, available: [...available] });
}

export const notServedDetail = (name: string, available: readonly string[]): string =>
  `model ${JSON.stringify(name)} is not served here; available: ${available.join(", ")}`;

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
