/**
 * A film's text track, served from the site's own origin so the browser
 * accepts it in <track> without CORS: the URL comes from the film's detail
 * (the CMS decides whether the film, hence its tracks, may be seen).
 */
import type { APIRoute } from "astro";
import { API_TIMEOUT_MS, CMS_URL, cmsUrl } from "../../../api/client.ts";
import { film as getFilm } from "../../../lib/films.ts";

export const GET: APIRoute = async ({ params, locals }) => {
  const filmId = Number(params.film);
  const trackId = Number(params.track);
  if (!Number.isInteger(filmId) || !Number.isInteger(trackId) || filmId < 1 || trackId < 1) {
    return new Response("Not found", { status: 404 });
  }
  const film = await getFilm(filmId, locals.lang);
  const track = film?.video?.text_tracks.find((item) => item.id === trackId);
  if (!track) return new Response("Not found", { status: 404 });
  const url = track.url.startsWith("/") ? `${CMS_URL}${track.url}` : cmsUrl(track.url);
  const answer = await fetch(url, { signal: AbortSignal.timeout(API_TIMEOUT_MS) }).catch(() => null);
  if (!answer || !answer.ok) return new Response("Not found", { status: 404 });
  return new Response(await answer.text(), {
    headers: { "Content-Type": "text/vtt; charset=utf-8", "Cache-Control": "public, max-age=60" },
  });
};
