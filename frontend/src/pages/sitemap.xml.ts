/**
 * sitemap.xml from the API: what an anonymous visitor may see (the API's
 * answer), in French and English, each with its hreflang alternate.
 */
import type { APIRoute } from "astro";
import { siteOrigin } from "../lib/site.ts";
import { api, pathOf } from "../api/client.ts";
import { localePath, route } from "../lib/i18n.ts";
import { coordinationPath, filmPath, guidePath } from "../lib/paths.ts";
import { coordinations } from "../lib/vocab.ts";

const MAX_PAGES = 50;

async function allFilms() {
  const items = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await api.GET("/api/v3/films/", { params: { query: { limit: 100, offset: page * 100, ordering: "title" } } });
    const batch = answer.data?.items ?? [];
    items.push(...batch);
    if (batch.length < 100) break;
  }
  return items;
}

async function allGuides() {
  const items = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await api.GET("/api/v3/guides/", { params: { query: { limit: 100, offset: page * 100, ordering: "title" } } });
    const batch = answer.data?.items ?? [];
    items.push(...batch);
    if (batch.length < 100) break;
  }
  return items;
}

async function contentPages() {
  const answer = await api.GET("/api/v3/pages/", {
    params: { query: { type: ["home.ContentPage"], limit: 100 } },
  });
  return answer.data?.items ?? [];
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export const GET: APIRoute = async ({ url }) => {
  const site = siteOrigin(url);
  const [films, guides, coords, pages] = await Promise.all([allFilms(), allGuides(), coordinations("fr"), contentPages()]);
  const pairs: [string, string | null][] = [
    ...(["home", "films", "guides", "coordinations"] as const).map((name) => [route("fr", name), route("en", name)] as [string, string]),
    ...films.map((film) => [filmPath(film), localePath("en", filmPath(film))] as [string, string]),
    ...guides.map((guide) => [guidePath(guide), localePath("en", guidePath(guide))] as [string, string]),
    ...coords.map((item) => [coordinationPath(item), localePath("en", coordinationPath(item))] as [string, string]),
    // Tree pages in each language; their translations are separate pages of the tree.
    ...pages.map((page) => [pathOf(page.meta.html_url), null] as [string, null]),
  ];
  const entries = pairs.flatMap(([fr, en]) => {
    if (!en) return [`<url><loc>${escape(site + fr)}</loc></url>`];
    const links =
      `<xhtml:link rel="alternate" hreflang="fr" href="${escape(site + fr)}"/>` +
      `<xhtml:link rel="alternate" hreflang="en" href="${escape(site + en)}"/>`;
    return [`<url><loc>${escape(site + fr)}</loc>${links}</url>`, `<url><loc>${escape(site + en)}</loc>${links}</url>`];
  });
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${entries.join("\n")}
</urlset>
`;
  return new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=60" } });
};
