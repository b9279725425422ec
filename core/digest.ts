// SHA-256 through Web Crypto (the Worker, the origin and the scripts alike), and a comparison of digests that
// takes the same time wherever they differ.
const encoder = new TextEncoder();

export function sha256(data: string | Uint8Array | ArrayBuffer): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", (typeof data === "string" ? encoder.encode(data) : data) as Uint8Array<ArrayBuffer> | ArrayBuffer);
}

export function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(data: string | Uint8Array | ArrayBuffer): Promise<string> {
  return toHex(await sha256(data));
}

/** Constant-time equality of two digests (workerd's timingSafeEqual where present, else an XOR fold). */
export function digestsEqual(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false; // digests of one algorithm: lengths are public
  const subtle = crypto.subtle as typeof crypto.subtle & { timingSafeEqual?: (a: ArrayBuffer, b: ArrayBuffer) => boolean };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
