// The memory of the Worker's isolate, read through its V8 inspector (Chrome DevTools Protocol) on
// `wrangler dev --inspector-port`: workerd reports no per-isolate memory otherwise, and its process's
// resident memory also holds the runtime, compiled code and wrangler's proxy.
import type { WranglerDev } from "./wrangler-dev.ts";

export interface HeapUsage {
  /** JavaScript heap in use and reserved (V8 Runtime.getHeapUsage), MiB. */
  js_used_mib: number;
  js_total_mib: number;
  /** ArrayBuffer backing stores outside the JS heap (the bundled model files among them), MiB. */
  backing_mib: number;
}

const MiB = 1024 * 1024;

export interface Inspector {
  call<T>(method: string, params?: object): Promise<T>;
  heapUsage(): Promise<HeapUsage>;
  /** A full garbage collection, so that heapUsage() then counts live objects only. */
  collectGarbage(): Promise<void>;
  close(): void;
}

/** A DevTools Protocol connection to the Worker's inspector (one for the whole measurement: wrangler's
 *  proxy does not take reconnections well). */
export async function openInspector(dev: WranglerDev, timeoutMs = 10_000): Promise<Inspector> {
  const targets = (await (await fetch(`${dev.inspector}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  // wrangler's inspector proxy only accepts connections that name a local origin.
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl, { headers: { origin: "http://127.0.0.1" } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = (event) => reject(new Error(`inspector: ${(event as Event & { message?: string }).message ?? "connection failed"}`));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return; // an event, not an answer
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(`inspector: ${message.error.message}`));
    else waiter.resolve(message.result);
  };
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`inspector: no answer to ${method} in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v as T)), reject: (e) => (clearTimeout(timer), reject(e)) });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    call,
    async heapUsage() {
      const h = await call<{ usedSize: number; totalSize: number; backingStorageSize?: number }>("Runtime.getHeapUsage");
      return { js_used_mib: h.usedSize / MiB, js_total_mib: h.totalSize / MiB, backing_mib: (h.backingStorageSize ?? 0) / MiB };
    },
    // workerd's inspector does not answer HeapProfiler.collectGarbage; a heap snapshot starts with a full
    // collection (its chunks arrive as events, which are ignored).
    collectGarbage: async () => void (await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false })),
    close: () => ws.close(),
  };
}
