// A loopback HTTP proxy in front of the real origin that can be told to misbehave, for the routing fault
// tests: pass through, delay, hold (never answer), answer with a status, cut the body short, send malformed
// JSON, or reset the connection. The origin behind it is a real process; only the failure is injected. It
// counts the requests that reached it and the held ones whose caller gave up, and lets a test wait for
// those counts (events, not sleeps).
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { EventEmitter, once } from "node:events";

export type Fault =
  | { kind: "pass" }
  | { kind: "delay"; ms: number }
  /** Never answer: the request is held until its caller closes the connection (or the proxy closes). */
  | { kind: "hold" }
  | { kind: "status"; status: number }
  | { kind: "truncate" }
  | { kind: "malformed" }
  | { kind: "reset" };

export interface FaultProxy {
  base: string;
  set(fault: Fault): void;
  /** Requests that reached the proxy since the last reset of the counters. */
  hits(): number;
  /** Held requests (fault "hold") whose caller closed the connection, giving up, since the last reset. */
  abandoned(): number;
  /** Resets both counters. */
  resetHits(): void;
  /** Resolves once `condition()` holds; re-checked whenever a request arrives or a held one is abandoned. */
  until(condition: () => boolean): Promise<void>;
  close(): Promise<void>;
}

function forward(upstream: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    out.on("error", reject);
    out.end(body);
  });
}

export async function startFaultProxy(upstreamBase: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamBase);
  let fault: Fault = { kind: "pass" };
  let hits = 0, abandoned = 0;
  const changes = new EventEmitter();
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    hits++;
    changes.emit("change");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const current = fault;
    if (current.kind === "reset") return req.socket.destroy();
    if (current.kind === "hold") {
      const gaveUp = () => {
        abandoned++;
        changes.emit("change");
      };
      if (req.socket.destroyed) return gaveUp();
      return res.once("close", gaveUp); // nothing is ever written: only the caller (or close()) ends it
    }
    if (current.kind === "status") {
      res.writeHead(current.status, { "content-type": "application/problem+json", ...(current.status === 503 ? { "retry-after": "1" } : {}) });
      return res.end(JSON.stringify({ type: "about:blank", title: "injected", status: current.status, detail: "fault injected by the test proxy" }));
    }
    if (current.kind === "delay") await new Promise((r) => setTimeout(r, current.ms));
    let answer;
    try {
      answer = await forward(upstream, req, Buffer.concat(chunks));
    } catch {
      return req.socket.destroy(); // the origin is down: the caller sees the connection fail
    }
    if (current.kind === "malformed") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(answer.body.subarray(0, Math.floor(answer.body.length / 2)).toString() + "}}}not json");
    }
    if (current.kind === "truncate") {
      // Promise the whole body, send half, then cut the connection.
      res.writeHead(200, { "content-type": "application/json", "content-length": String(answer.body.length) });
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      return setTimeout(() => req.socket.destroy(), 20);
    }
    const { "content-length": _, "transfer-encoding": __, connection: ___, ...headers } = answer.headers;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    set: (f) => (fault = f),
    hits: () => hits,
    abandoned: () => abandoned,
    resetHits: () => {
      hits = 0;
      abandoned = 0;
    },
    until: (condition) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!condition()) return;
          changes.off("change", check);
          resolve();
        };
        changes.on("change", check);
        check();
      }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
