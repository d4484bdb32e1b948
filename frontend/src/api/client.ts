/**
 * The one way the site talks to the CMS: a typed openapi-fetch client over the
 * committed OpenAPI document (src/api/schema.d.ts, `npm run types`).
 *
 * Calls are made by path ("/api/v3/films/"), never by operation id, so the
 * document's operation names may change freely. Every call has a deadline: a
 * CMS that is down or slow makes the call throw CmsUnavailable, which the
 * middleware turns into the French 503 page well within 3 seconds, unless
 * the answer is in the site's memory of public answers (./cache.ts).
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { ApiCache } from "./cache.ts";
import { currentContext } from "../lib/session.ts";

export type Schemas = components["schemas"];
export type FilmSummary = Schemas["FilmSummary"];
export type FilmDetail = Schemas["FilmDetail"];
export type GuideSummary = Schemas["GuideSummary"];
export type GuideDetail = Schemas["GuideDetail"];
export type Coordination = Schemas["Coordination"];
export type Image = Schemas["Image"];

/** Where the server reaches the CMS. */
export const CMS_URL = (process.env.CMS_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
/** Where visitors' browsers reach the CMS (media, streams, embeds); the same by default. */
export const CMS_PUBLIC_URL = (process.env.CMS_PUBLIC_URL || CMS_URL).replace(/\/+$/, "");
/** How long one API call may take, in milliseconds. */
export const API_TIMEOUT_MS = Number(process.env.CMS_TIMEOUT_MS || 2500);

/**
 * The memory of anonymous API answers (src/api/cache.ts): SITE_API_CACHE_ENTRIES answers
 * (0 turns it off) within SITE_API_CACHE_MB megabytes. One per Node process; the CMS's
 * webhook (pages/webhooks/cms.ts) invalidates it.
 */
export const apiCache = new ApiCache({
  maxEntries: Number(process.env.SITE_API_CACHE_ENTRIES ?? 2000),
  maxBytes: Number(process.env.SITE_API_CACHE_MB ?? 64) * 1024 * 1024,
});

export class CmsUnavailable extends Error {
  constructor(cause: unknown) {
    super(`The CMS at ${CMS_URL} did not answer: ${String(cause)}`);
    this.name = "CmsUnavailable";
  }
}

/**
 * The visitor's headers on a call: their address in X-Forwarded-For, and a
 * logged-in partner's session as X-Session-Token (see lib/session.ts).
 */
function withVisitor(input: Request, token: string | null): Request {
  const context = currentContext();
  const request = new Request(input);
  if (context?.clientAddress) request.headers.set("X-Forwarded-For", context.clientAddress);
  if (token) request.headers.set("X-Session-Token", token);
  else request.headers.delete("X-Session-Token");
  return request;
}

/**
 * One call with its deadline. The deadline covers the whole answer unless
 * `headersOnly` (downloads: a file streams for as long as it takes).
 */
async function send(request: Request, headersOnly: boolean): Promise<Response> {
  try {
    if (!headersOnly) {
      const response = await fetch(request, { signal: AbortSignal.timeout(API_TIMEOUT_MS) });
      if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
      return response;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("timeout")), API_TIMEOUT_MS);
    try {
      const response = await fetch(request, { signal: controller.signal, redirect: "manual" });
      // A download the CMS itself answers 503 (its files or database away for now) is passed on, so the
      // download page can say "try again in a few seconds" with the CMS's Retry-After.
      if (response.status >= 500 && !isCmsUnavailableProblem(response)) throw new Error(`HTTP ${response.status}`);
      return response;
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    throw new CmsUnavailable(error);
  }
}

function isCmsUnavailableProblem(response: Response): boolean {
  return response.status === 503 && (response.headers.get("Content-Type") ?? "").startsWith("application/problem+json");
}

/**
 * A call for the current visitor. When the CMS refuses a partner's session
 * (401: logged out, deactivated account, lapsed organisation), the context is
 * marked expired (the middleware clears the cookie) and the call is made again
 * as an anonymous visitor, so public pages still show. A partner's calls never
 * touch the cache: they see more than the public, and are answered `private`.
 */
async function callAsVisitor(input: Request, headersOnly: boolean): Promise<Response> {
  const context = currentContext();
  const token = context?.token ?? null;
  if (!token) return sendAnonymous(withVisitor(input, null), headersOnly);
  const spare = input.clone();
  const response = await send(withVisitor(input, token), headersOnly);
  if (response.status === 401 && context) {
    context.expired = true;
    context.token = null;
    await response.body?.cancel();
    return sendAnonymous(withVisitor(spare, null), headersOnly);
  }
  return response;
}

/** An anonymous call: API reads go through the memory of public answers; downloads never do. */
async function sendAnonymous(request: Request, headersOnly: boolean): Promise<Response> {
  if (headersOnly) return send(request, true);
  try {
    return await apiCache.fetch(request, (conditional) => send(conditional, false));
  } catch (error) {
    // A body cut off past the deadline while the cache reads it is the CMS failing too.
    throw error instanceof CmsUnavailable ? error : new CmsUnavailable(error);
  }
}

async function fetchWithDeadline(input: Request): Promise<Response> {
  return callAsVisitor(input, false);
}

/** For downloads: redirects are not followed (the site passes the CMS's 302 on), the body is streamed. */
export async function fetchDownload(input: Request): Promise<Response> {
  return callAsVisitor(input, true);
}

/**
 * A call to allauth's headless API (`/_allauth/app/v1/...`), which is not
 * part of the library's OpenAPI contract: JSON in, status and JSON out, with
 * the visitor's address and, when given, a session or reset key header.
 */
export async function allauth(
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> | null; retryAfter: string | null }> {
  const context = currentContext();
  const headers = new Headers({ Accept: "application/json", ...options.headers });
  if (options.body !== undefined) headers.set("Content-Type", "application/json");
  if (context?.clientAddress) headers.set("X-Forwarded-For", context.clientAddress);
  const request = new Request(`${CMS_URL}/_allauth/app/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await send(request, false);
  const text = await response.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  return { status: response.status, body, retryAfter: response.headers.get("Retry-After") };
}

export const api = createClient<paths>({
  baseUrl: CMS_URL,
  fetch: fetchWithDeadline,
  headers: { Accept: "application/json" },
});

/** A URL from the API (often relative to the CMS) made absolute for the visitor's browser. */
export function cmsUrl(url: string | null | undefined): string {
  if (!url) return "";
  if (/^https?:\/\//.test(url)) return url;
  return `${CMS_PUBLIC_URL}${url.startsWith("/") ? "" : "/"}${url}`;
}

/** A srcset whose URLs are made absolute the same way. */
export function cmsSrcset(srcset: string | null | undefined): string {
  if (!srcset) return "";
  return srcset
    .split(",")
    .map((part) => {
      const [url, width] = part.trim().split(/\s+/);
      return `${cmsUrl(url)}${width ? ` ${width}` : ""}`;
    })
    .join(", ");
}

/** The path part of an absolute URL the CMS gives (html_url), for the site's own links. */
export function pathOf(url: string | null | undefined): string {
  if (!url) return "/";
  try {
    return new URL(url, "http://cms.invalid").pathname;
  } catch {
    return "/";
  }
}

/**
 * How long the site keeps its small lookups in memory (navigation, filter
 * vocabularies, the English pages' paths), in milliseconds. 0 turns the
 * memory off (the tests do: their data changes from one test to the next).
 */
export const MEMORY_TTL_MS = Number(process.env.SITE_CACHE_SECONDS ?? 5) * 1000;
