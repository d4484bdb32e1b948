/**
 * The header's navigation: the home page's children in the page tree (v3
 * pages API), kept in memory a short while (SITE_CACHE_SECONDS) so each page view does not ask again.
 */
import { api, MEMORY_TTL_MS, pathOf } from "../api/client.ts";
import type { Lang } from "./i18n.ts";

export type NavItem = { title: string; href: string };

const cache = new Map<Lang, { at: number; items: NavItem[] }>();
const TTL_MS = MEMORY_TTL_MS;
/** The site's own routes answer these page types: the tree's copies are not linked twice. */
const OWN_ROUTES = new Set(["library.CoordinationIndexPage", "library.FilmIndexPage", "library.GuideIndexPage"]);

export async function navigation(lang: Lang): Promise<NavItem[]> {
  const hit = cache.get(lang);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.items;
  const homes = await api.GET("/api/v3/pages/", { params: { query: { type: ["home.HomePage"], locale: lang, limit: 1 } } });
  const home = homes.data?.items[0];
  let items: NavItem[] = [];
  if (home) {
    const children = await api.GET("/api/v3/pages/", { params: { query: { child_of: home.id, locale: lang, limit: 20 } } });
    items = (children.data?.items ?? [])
      .filter((page) => !OWN_ROUTES.has(page.meta.type ?? ""))
      .map((page) => ({ title: page.title, href: pathOf(page.meta.html_url) }));
  }
  cache.set(lang, { at: Date.now(), items });
  return items;
}

/** The other language's version of a page of the tree, if it has one. */
export async function translationOf(pageId: number, lang: Lang): Promise<{ id: number; path: string } | null> {
  const answer = await api.GET("/api/v3/pages/", {
    params: { query: { translation_of: pageId, locale: lang, limit: 1 } },
  });
  const page = answer.data?.items[0];
  return page ? { id: page.id, path: pathOf(page.meta.html_url) } : null;
}
