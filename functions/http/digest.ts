// SHA-256 through Web Crypto, and a comparison of digests that takes the same time wherever they differ.
const encoder = new TextEncoder();

export function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}

export function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await sha256(text));
}

/** Constant-time equality of two digests (workerd's timingSafeEqual where present, else an XOR fold). */
export function digestsEqual(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false; // digests of one algorithm: lengths are public
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: SubtleCrypto["timingSafeEqual"] };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
