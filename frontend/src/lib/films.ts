/** A film's detail in a language, or null when the API answers 404 (missing and hidden alike). */
import { api } from "../api/client.ts";
import type { Lang } from "./i18n.ts";

export async function film(id: number, lang: Lang) {
  const answer = await api.GET("/api/v3/films/{film_id}/", {
    params: { path: { film_id: id }, query: { locale: lang } },
  });
  return answer.data ?? null;
}

export async function guide(id: number, lang: Lang) {
  const answer = await api.GET("/api/v3/guides/{guide_id}/", {
    params: { path: { guide_id: id }, query: { locale: lang } },
  });
  return answer.data ?? null;
}
