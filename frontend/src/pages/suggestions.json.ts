/**
 * Suggestions as you type, for the search island (components/SearchSuggest.astro):
 * the CMS's /api/v3/search/suggest/ asked on the visitor's behalf, so the
 * browser talks to the site only (no CORS) and a partner's session sees what
 * it may see. Each suggestion comes with the site's link for it; a term opens
 * the catalogue filtered by it. Bad input is an empty list, never an error.
 */
import type { APIRoute } from "astro";
import { api, CmsUnavailable } from "../api/client.ts";
import { localePath, route, t } from "../lib/i18n.ts";
import { filmPath, guidePath } from "../lib/paths.ts";

/** The catalogue's filter for each kind of term the CMS suggests (age groups are not a catalogue filter). */
const FILTERS: Record<string, string> = {
  theme: "theme",
  audience: "audience",
  genre: "genre",
  action_type: "action_type",
};
const LIMIT = 8;

type Suggestion = { text: string; type: string; id: number; slug?: string | null };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // A partner's answer is made private, no-store by the middleware.
      "Cache-Control": status === 200 ? "private, max-age=60" : "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export const GET: APIRoute = async ({ url, locals }) => {
  const lang = locals.lang;
  const words = t(lang);
  const q = (url.searchParams.get("q") ?? "").trim();
  // The CMS's own bounds (2 to 100 characters): outside them there is nothing to ask.
  if (q.length < 2 || q.length > 100) return json({ query: q, items: [] });
  let answer;
  try {
    answer = await api.GET("/api/v3/search/suggest/", { params: { query: { q, locale: lang, limit: LIMIT } } });
  } catch (error) {
    if (error instanceof CmsUnavailable) return json({ query: q, items: [] }, 503);
    throw error;
  }
  const found = (answer.data?.items ?? []) as Suggestion[];
  const catalogue = route(lang, "films");
  const items = found.flatMap((item) => {
    let href: string | null = null;
    if (item.type === "film") href = localePath(lang, filmPath({ id: item.id, title: item.text }));
    else if (item.type === "guide") href = localePath(lang, guidePath({ id: item.id, title: item.text }));
    else if (item.type === "page") href = `/pages/${item.id}/`;
    else if (item.type === "coordination") href = `${catalogue}?coordination=${item.id}`;
    else if (FILTERS[item.type] && item.slug) href = `${catalogue}?${FILTERS[item.type]}=${encodeURIComponent(item.slug)}`;
    if (!href) return [];
    return [{ text: item.text, type: item.type, kind: words.suggestionKinds[item.type] ?? item.type, href }];
  });
  return json({ query: q, items });
};
