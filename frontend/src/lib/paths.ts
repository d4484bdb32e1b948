/** The site's paths for library items (locale-free; localePath adds /en/). */
import { slugify } from "./i18n.ts";

/**
 * Slugs may hold non-ASCII letters (Wagtail allows them): they are
 * percent-encoded (UTF-8) here, as the request's pathname is, so a redirect's
 * Location header stays ASCII and the page's own-path check matches.
 */
export function filmPath(film: { id: number; slug?: string | null; title?: string }): string {
  const slug = encodeURIComponent(film.slug || slugify(film.title ?? ""));
  return `/films/${film.id}${slug ? `-${slug}` : ""}/`;
}

export function guidePath(guide: { id: number; slug?: string | null; title?: string }): string {
  const slug = encodeURIComponent(guide.slug || slugify(guide.title ?? ""));
  return `/guides/${guide.id}${slug ? `-${slug}` : ""}/`;
}

export function coordinationPath(coordination: { slug: string }): string {
  return `/coordinations/${coordination.slug}/`;
}

/** The id at the start of a "12-some-slug" route segment, or null. */
export function idFromSegment(segment: string | undefined): number | null {
  // Any slug after the id (Wagtail slugs may hold non-ASCII letters); the page redirects to its own path.
  const match = /^(\d{1,9})(?:-[^/]{0,255})?$/.exec(segment ?? "");
  return match ? Number(match[1]) : null;
}
