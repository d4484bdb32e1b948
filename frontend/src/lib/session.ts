/**
 * The partner's session as the site's server keeps it.
 *
 * allauth's headless API (app client) gives a session token at log-in; the
 * site keeps it in its own cookie (HttpOnly, SameSite=Lax, Secure unless the
 * site is served on http://127.0.0.1 or http://localhost) and sends it as
 * X-Session-Token on every CMS call made for that visitor, with the
 * visitor's address in X-Forwarded-For (the CMS's lock-out counts per
 * client address). Each request runs in its own context
 * (AsyncLocalStorage), so concurrent visitors never share a token.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const SESSION_COOKIE = "pdi_session";

export interface CallContext {
  /** The allauth session token of a logged-in partner, or null. */
  token: string | null;
  /** The visitor's address, sent in X-Forwarded-For. */
  clientAddress: string;
  /** Set when the CMS refused the token (401): the middleware clears the cookie. */
  expired: boolean;
}

const storage = new AsyncLocalStorage<CallContext>();

export function runWithContext<T>(context: CallContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

export function currentContext(): CallContext | undefined {
  return storage.getStore();
}

/** Whether the session cookie may go without `Secure`: only for a site served over plain HTTP on loopback. */
export function cookieIsInsecureOk(siteUrl: string): boolean {
  try {
    const url = new URL(siteUrl);
    return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}

/** Cookie options for the session cookie (no Max-Age: the CMS decides how long the session lives). */
export function cookieOptions(siteUrl: string) {
  return {
    httpOnly: true,
    secure: !cookieIsInsecureOk(siteUrl),
    sameSite: "lax" as const,
    path: "/",
  };
}

/** A `next` address kept only when it is a path of this site (never another origin). */
export function safeNext(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  return value;
}
