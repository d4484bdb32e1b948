/**
 * The CMS's webhook receiver: a signed event (page published, unpublished or
 * deleted, a film's tier changed) invalidates the site's memory of API
 * answers at once, so a publish or a withdrawn consent shows on the next
 * request. Every event drops everything, whatever it names: see
 * src/api/cache.ts for why. The secret is CMS_WEBHOOK_SECRET, the one the
 * endpoint row in the CMS admin holds; without it the route does not exist.
 *
 * 204 on a valid event (replays of the same id do no harm: invalidating is
 * idempotent), 401 on a missing or bad signature, 400 on a body that is not
 * an event, 413 on an oversized one; never a 500.
 */
import type { APIRoute } from "astro";
import { apiCache } from "../../api/client.ts";
import { eventType, readLimited, verifySignature } from "../../lib/webhook.ts";

export const prerender = false;

function plain(status: number, text: string): Response {
  return new Response(text ? `${text}\n` : null, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export const POST: APIRoute = async ({ request }) => {
  const secret = process.env.CMS_WEBHOOK_SECRET ?? "";
  if (!secret) return plain(404, "Not found");
  try {
    const body = await readLimited(request);
    if (body === null) return plain(413, "Payload too large");
    if (!verifySignature(secret, body, request.headers.get("X-Webhook-Signature"))) {
      return plain(401, "Bad or missing X-Webhook-Signature");
    }
    const type = eventType(new TextDecoder().decode(body));
    if (type === null) return plain(400, "The body is not a JSON event");
    apiCache.invalidate();
    console.info(`CMS webhook ${type} (${request.headers.get("X-Webhook-Id") ?? "no id"}): API answers invalidated`);
    return plain(204, "");
  } catch (error) {
    console.error(`CMS webhook refused: ${String(error)}`);
    return plain(400, "Unreadable request");
  }
};
