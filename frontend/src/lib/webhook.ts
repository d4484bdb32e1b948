/**
 * Checking the CMS's signed webhooks (docs/webhooks.md, cms/webhooks/signing.py):
 * `X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>`.
 * The HMAC is computed over the raw bytes, compared in constant time, and a
 * timestamp more than five minutes away from the site's clock is refused, so
 * a recorded request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Where the CMS posts its events (register this URL as a webhook endpoint in the admin). */
export const WEBHOOK_PATH = "/webhooks/cms";
export const TOLERANCE_SECONDS = 300;
/** Events are a few hundred bytes; anything much larger is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export function sign(secret: string, body: Uint8Array, timestamp: number): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return `t=${timestamp},v1=${digest}`;
}

/** True when `header` signs `body` with `secret` within the tolerance of `nowSeconds`. */
export function verifySignature(
  secret: string,
  body: Uint8Array,
  header: string | null,
  nowSeconds: number = Date.now() / 1000,
): boolean {
  if (!secret || !header) return false;
  const parts = new Map<string, string>();
  for (const item of header.split(",")) {
    const at = item.indexOf("=");
    if (at > 0) parts.set(item.slice(0, at).trim(), item.slice(at + 1).trim());
  }
  const t = parts.get("t") ?? "";
  const given = parts.get("v1") ?? "";
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const timestamp = Number(t);
  if (Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}

/** The event's type when `text` is an event (a JSON object with a string `type`), else null. */
export function eventType(text: string): string | null {
  try {
    const event: unknown = JSON.parse(text);
    if (event && typeof event === "object" && !Array.isArray(event)) {
      const type = (event as Record<string, unknown>).type;
      if (typeof type === "string" && type) return type;
    }
  } catch {
    return null;
  }
  return null;
}

/** The request's body, or null when it is larger than `limit` bytes (read no further than that). */
export async function readLimited(request: Request, limit: number = MAX_BODY_BYTES): Promise<Uint8Array | null> {
  if (Number(request.headers.get("Content-Length") ?? "0") > limit) return null;
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
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
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
