/**
 * The one way the site talks to the CMS: a typed openapi-fetch client over the
 * committed OpenAPI document (src/api/schema.d.ts, `npm run types`).
 *
 * Calls are made by path ("/api/v3/films/"), never by operation id, so the
 * document's operation names may change freely. Every call has a deadline: a
 * CMS that is down or slow makes the call throw CmsUnavailable, which the
 * middleware turns into the French 503 page well within 3 seconds.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

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

export class CmsUnavailable extends Error {
  constructor(cause: unknown) {
    super(`The CMS at ${CMS_URL} did not answer: ${String(cause)}`);
    this.name = "CmsUnavailable";
  }
}

async function fetchWithDeadline(input: Request): Promise<Response> {
  try {
    const response = await fetch(input, { signal: AbortSignal.timeout(API_TIMEOUT_MS) });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
    return response;
  } catch (error) {
    throw new CmsUnavailable(error);
  }
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
