/** The site's paths for library items (locale-free; localePath adds /en/). */
import { slugify } from "./i18n.ts";

export function filmPath(film: { id: number; slug?: string | null; title?: string }): string {
  const slug = film.slug || slugify(film.title ?? "");
  return `/films/${film.id}${slug ? `-${slug}` : ""}/`;
}

export function guidePath(guide: { id: number; slug?: string | null; title?: string }): string {
  const slug = guide.slug || slugify(guide.title ?? "");
  return `/guides/${guide.id}${slug ? `-${slug}` : ""}/`;
}

export function coordinationPath(coordination: { slug: string }): string {
  return `/coordinations/${coordination.slug}/`;
}

/** The id at the start of a "12-some-slug" route segment, or null. */
export function idFromSegment(segment: string | undefined): number | null {
  const match = /^(\d{1,9})(?:-[a-z0-9-]*)?$/.exec(segment ?? "");
  return match ? Number(match[1]) : null;
}
