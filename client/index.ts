// A small typed client of the edge API, on fetch alone (Node >= 18, browsers, Workers, Deno). Its types are
// the contract's (core/contract.ts), imported as types only: the client carries no zod and no schema at run
// time. Every refusal (RFC 9457 problem+json) is thrown as an ApiProblem.
//
//   const api = createClient({ baseUrl: "http://127.0.0.1:8787" });
//   const answer = await api.predict({ history: [{ year: 2015, title: "Registered nurse" }] });
import type {
  EdgePredictBatchRequestInput,
  EdgePredictRequestInput,
  HealthResponse,
  InvalidParamBody,
  ModelsResponse,
  OccupationSearchResponse,
  OccupationsResponse,
  PredictBatchResponse,
  PredictResponse,
  ProblemBody,
} from "../core/contract.ts";

export type {
  EdgePredictBatchRequestInput as PredictBatchRequest,
  EdgePredictRequestInput as PredictRequest,
  HealthResponse,
  ModelsResponse,
  OccupationSearchResponse,
  OccupationsResponse,
  PredictBatchResponse,
  PredictResponse,
  ProblemBody,
};

export interface ClientOptions {
  /** Where the API is, e.g. "https://api.example.com" or "http://127.0.0.1:8787". */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when given (needed where the deployment sets API_KEYS). */
  apiKey?: string;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** Per call: an AbortSignal to cancel or time out the request. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface Client {
  predict(request: EdgePredictRequestInput, options?: CallOptions): Promise<PredictResponse>;
  predictBatch(request: EdgePredictBatchRequestInput, options?: CallOptions): Promise<PredictBatchResponse>;
  models(options?: CallOptions): Promise<ModelsResponse>;
  occupations(options?: CallOptions & { model?: string }): Promise<OccupationsResponse>;
  searchOccupations(q: string, options?: CallOptions & { model?: string; limit?: number }): Promise<OccupationSearchResponse>;
  health(options?: CallOptions): Promise<HealthResponse>;
}

/**
 * A refusal of the API: the problem details (RFC 9457) as typed fields, the whole body in `problem`. An
 * answer that is not problem+json (a proxy's error page) becomes one too, with type "about:blank".
 */
export class ApiProblem extends Error {
  override name = "ApiProblem";
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** JSON pointer of the first offending field of the request body, when there is one. */
  readonly pointer: string | undefined;
  /** Every offending field (422 invalid-request); empty otherwise. */
  readonly errors: InvalidParamBody[];
  readonly problem: ProblemBody;

  constructor(problem: ProblemBody) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.pointer = problem.pointer;
    this.errors = problem.errors ?? [];
  }
}

const PROBLEM_JSON = "application/problem+json";

async function problemOf(res: Response): Promise<ApiProblem> {
  const text = await res.text();
  if ((res.headers.get("content-type") ?? "").startsWith(PROBLEM_JSON)) {
    try {
      const body = JSON.parse(text) as ProblemBody;
      if (typeof body.type === "string" && typeof body.title === "string") return new ApiProblem({ ...body, status: res.status, detail: body.detail ?? "" });
    } catch {
      // not JSON after all: described below
    }
  }
  return new ApiProblem({ type: "about:blank", title: res.statusText || `HTTP ${res.status}`, status: res.status, detail: text.slice(0, 500) });
}

export function createClient(options: ClientOptions): Client {
  const base = options.baseUrl.replace(/\/+$/, "");
  // Called as a plain function: browsers refuse a fetch detached from its window.
  const send = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const headers: Record<string, string> = { accept: `application/json, ${PROBLEM_JSON}`, ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function call<T>(method: "GET" | "POST", path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const init: RequestInit = { method, headers: body === undefined ? headers : { ...headers, "content-type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (signal) init.signal = signal;
    const res = await send(base + path, init);
    if (!res.ok) throw await problemOf(res);
    return (await res.json()) as T;
  }

  const query = (params: Record<string, string | number | undefined>): string => {
    const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
    return entries.length ? "?" + new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString() : "";
  };

  return {
    predict: (request, o) => call("POST", "/v1/predict", request, o?.signal),
    predictBatch: (request, o) => call("POST", "/v1/predict/batch", request, o?.signal),
    models: (o) => call("GET", "/v1/models", undefined, o?.signal),
    occupations: (o) => call("GET", "/v1/occupations" + query({ model: o?.model }), undefined, o?.signal),
    searchOccupations: (q, o) => call("GET", "/v1/occupations/search" + query({ q, model: o?.model, limit: o?.limit }), undefined, o?.signal),
    health: (o) => call("GET", "/health", undefined, o?.signal),
  };
}
