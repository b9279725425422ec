// The Worker isolate's live memory: V8's heap figures through the inspector, after a full garbage
// collection (between collections the heap in use also holds garbage, a sawtooth under load), plus the wasm
// linear memory the Worker reports on /health (V8 counts it apart from both).
import type { Inspector } from "../lib/inspector.ts";
import type { WranglerDev } from "../lib/wrangler-dev.ts";
import { memoryOf, type IsolateMemory } from "./report.ts";

export async function isolateMemory(dev: WranglerDev, inspector: Inspector): Promise<IsolateMemory> {
  await inspector.collectGarbage();
  const heap = await inspector.heapUsage();
  const health = (await (await fetch(`${dev.base}/health`)).json()) as { runtime?: { wasm_memory_mib?: number } };
  return memoryOf({ ...heap, wasm_mib: health.runtime?.wasm_memory_mib ?? 0 });
}
