/** Pages of the tree (home and content pages) found by their path, as the CMS serves them. */
import { api, MEMORY_TTL_MS, pathOf, type Schemas } from "../api/client.ts";
import type { Lang } from "./i18n.ts";

export type TreePage = NonNullable<Awaited<ReturnType<typeof pageById>>>;
export type HomePage = Schemas["HomePageSchema"];
export type ContentPage = Schemas["ContentPageSchema"];

async function pageById(id: number) {
  const answer = await api.GET("/api/v3/pages/{page_id}/", { params: { path: { page_id: id } } });
  return answer.data ?? null;
}

/**
 * The CMS's find-by-path answers the default language's paths only, so the
 * English pages (under /en/) are looked up in a list of the English home and
 * content pages, kept in memory a short while (SITE_CACHE_SECONDS).
 */
const englishIndex: { at: number; paths: Map<string, number> } = { at: 0, paths: new Map() };
const INDEX_TTL_MS = MEMORY_TTL_MS;

async function englishPageId(htmlPath: string): Promise<number | null> {
  if (Date.now() - englishIndex.at >= INDEX_TTL_MS) {
    const paths = new Map<string, number>();
    for (let offset = 0; offset < 1000; offset += 100) {
      const answer = await api.GET("/api/v3/pages/", {
        params: { query: { type: ["home.HomePage", "home.ContentPage"], locale: "en", limit: 100, offset } },
      });
      const items = answer.data?.items ?? [];
      items.forEach((page) => paths.set(pathOf(page.meta.html_url), page.id));
      if (items.length < 100) break;
    }
    englishIndex.at = Date.now();
    englishIndex.paths = paths;
  }
  return englishIndex.paths.get(htmlPath) ?? null;
}

/** The live page at this path of the site ("/objectifs/", "/en/objectifs/"), or null. */
export async function findPage(lang: Lang, htmlPath: string) {
  if (lang === "en") {
    const id = await englishPageId(htmlPath);
    return id === null ? null : pageById(id);
  }
  const answer = await api.GET("/api/v3/pages/find/", { params: { query: { html_path: htmlPath } } });
  return answer.data ?? null;
}

export function isHome(page: TreePage): page is HomePage {
  return page.meta.type === "home.HomePage";
}

export function isContent(page: TreePage): page is ContentPage {
  return page.meta.type === "home.ContentPage";
}
