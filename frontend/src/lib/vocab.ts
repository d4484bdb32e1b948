/** The filter vocabularies (taxonomy terms, coordinations), kept in memory a short while (SITE_CACHE_SECONDS). */
import { api, MEMORY_TTL_MS, type Coordination, type Schemas } from "../api/client.ts";
import type { Lang } from "./i18n.ts";

export type Term = Schemas["TaxonomyTerm"];
export type Vocabularies = {
  themes: Term[];
  audiences: Term[];
  genres: Term[];
  actionTypes: Term[];
  coordinations: Coordination[];
};

const TTL_MS = MEMORY_TTL_MS;
const cache = new Map<Lang, { at: number; value: Vocabularies }>();

async function terms(kind: "themes" | "audiences" | "genres" | "action-types", lang: Lang): Promise<Term[]> {
  const answer = await api.GET("/api/v3/taxonomy/{kind}/", { params: { path: { kind }, query: { locale: lang } } });
  return answer.data?.items ?? [];
}

export async function coordinations(lang: Lang): Promise<Coordination[]> {
  const answer = await api.GET("/api/v3/coordinations/", { params: { query: { locale: lang, limit: 100 } } });
  return answer.data?.items ?? [];
}

export async function vocabularies(lang: Lang): Promise<Vocabularies> {
  const hit = cache.get(lang);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const [themes, audiences, genres, actionTypes, coords] = await Promise.all([
    terms("themes", lang),
    terms("audiences", lang),
    terms("genres", lang),
    terms("action-types", lang),
    coordinations(lang),
  ]);
  const value = { themes, audiences, genres, actionTypes, coordinations: coords };
  cache.set(lang, { at: Date.now(), value });
  return value;
}
