// Reading a JSON request body defensively: media type (415), size (413, also without Content-Length),
// and syntax (400), each failure thrown as a ProblemError; and the middleware every POST route of the edge
// and the origin reads its body with.
import { createMiddleware } from "hono/factory";
import { problem, ProblemError, type Problem } from "./problem.ts";

/** A history of 60 years is about 3 KB; 64 KiB leaves ample room and bounds the work per request. */
export const MAX_BODY_BYTES = 64 * 1024;
/** A batch may carry MAX_BATCH questions of up to MAX_BODY_BYTES each... in practice far less: 4x one body. */
export const MAX_BATCH_BODY_BYTES = 4 * MAX_BODY_BYTES;

/** Headers for a refused body: a 415 names the media type to send (Accept-Post, RFC 9110). */
const bodyProblemHeaders = (problem: Problem): Record<string, string> => (problem.status === 415 ? { "accept-post": "application/json" } : {});

export function isJsonMediaType(contentType: string | null): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json" || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
}

const tooLarge = (limit: number): Problem =>
  problem("body-too-large", "Request body too large", 413, `the request body exceeds ${limit} bytes`);

/** The body's bytes, or null once more than `limit` bytes arrived (the rest is not read). */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body's JSON value; a ProblemError (415, 413 or 400, with its headers) when it cannot be read. */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  if (!isJsonMediaType(contentType))
    refuse(problem("unsupported-media-type", "Unsupported media type", 415, `send the request body as application/json, not ${contentType ?? "no content type"}`));
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) refuse(tooLarge(limit));
  // With a declared length within the limit, one read of the whole body is cheaper than the chunk loop
  // (which stays for bodies without Content-Length); the length is checked again after the read.
  const bytes = !request.body ? new Uint8Array(0) : declared >= 0 ? new Uint8Array(await request.arrayBuffer()) : await readLimited(request.body, limit);
  if (bytes === null || bytes.byteLength > limit) refuse(tooLarge(limit));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    refuse(problem("malformed-json", "Malformed JSON", 400, "the request body is not valid UTF-8"));
  }
  if (text.trim() === "") refuse(problem("malformed-json", "Malformed JSON", 400, "the request body is empty"));
  try {
    return JSON.parse(text);
  } catch (e) {
    refuse(problem("malformed-json", "Malformed JSON", 400, `the request body is not valid JSON: ${(e as Error).message}`));
  }
}

function refuse(p: Problem): never {
  throw new ProblemError(p, bodyProblemHeaders(p));
}

/**
 * Middleware for a POST route: the body read (readJsonBody) and checked by `parse` (which throws a
 * ProblemError for a request the contract refuses), available to the handler as c.var.body.
 */
export const jsonBody = <T>(parse: (body: unknown) => T, limit = MAX_BODY_BYTES) =>
  createMiddleware<{ Variables: { body: T } }>(async (c, next) => {
    c.set("body", parse(await readJsonBody(c.req.raw, limit)));
    await next();
  });
