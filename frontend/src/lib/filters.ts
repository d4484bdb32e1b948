/**
 * The catalogue's filters, read from the visitor's query string. Only the
 * films endpoint's parameters with well-formed values are passed on; anything
 * else is listed back to the visitor (escaped by the template) instead of
 * reaching the API, so a hand-edited URL gives a clear page, never an error.
 */
import type { components } from "../api/schema";

export const SLUG_FILTERS = ["theme", "audience", "genre", "action_type", "spoken_language"] as const;
export const INT_FILTERS = ["coordination", "year_min", "year_max"] as const;
export const BOOL_FILTERS = ["has_captions", "has_audio_description", "has_sign_language"] as const;
export const ORDERINGS = ["-date", "date", "title", "-title", "year", "-year"] as const;
export const PAGE_SIZE = 12;

export type FilmQuery = {
  theme?: string;
  audience?: string;
  genre?: string;
  action_type?: string;
  spoken_language?: string;
  coordination?: number;
  year_min?: number;
  year_max?: number;
  has_captions?: boolean;
  has_audio_description?: boolean;
  has_sign_language?: boolean;
  ordering?: (typeof ORDERINGS)[number];
};

export type Parsed = { query: FilmQuery; page: number; rejected: { name: string; value: string }[] };

const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;
const INT = /^\d{1,9}$/;
const KNOWN = new Set<string>([...SLUG_FILTERS, ...INT_FILTERS, ...BOOL_FILTERS, "ordering", "page"]);

export function parseFilmQuery(params: URLSearchParams): Parsed {
  const query: FilmQuery = {};
  const rejected: Parsed["rejected"] = [];
  let page = 1;
  for (const [name, raw] of params) {
    const value = raw.trim();
    if (value === "") continue;
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    if (!KNOWN.has(name)) {
      rejected.push({ name: name.length > 40 ? `${name.slice(0, 40)}…` : name, value: shown });
    } else if ((SLUG_FILTERS as readonly string[]).includes(name)) {
      if (SLUG.test(value)) query[name as (typeof SLUG_FILTERS)[number]] = value;
      else rejected.push({ name, value: shown });
    } else if ((INT_FILTERS as readonly string[]).includes(name)) {
      const number = INT.test(value) ? Number(value) : NaN;
      const [min, max] = name === "coordination" ? [1, 2147483647] : [1900, 2100];
      if (number >= min && number <= max) query[name as (typeof INT_FILTERS)[number]] = number;
      else rejected.push({ name, value: shown });
    } else if ((BOOL_FILTERS as readonly string[]).includes(name)) {
      if (value === "true" || value === "1" || value === "on") query[name as (typeof BOOL_FILTERS)[number]] = true;
      else rejected.push({ name, value: shown });
    } else if (name === "ordering") {
      if ((ORDERINGS as readonly string[]).includes(value)) query.ordering = value as (typeof ORDERINGS)[number];
      else rejected.push({ name, value: shown });
    } else if (name === "page") {
      if (INT.test(value) && Number(value) >= 1 && Number(value) <= 10000) page = Number(value);
      else rejected.push({ name, value: shown });
    }
  }
  return { query, page, rejected };
}

/** The query string of the catalogue for these filters and this page (for pagination links). */
export function catalogueSearch(query: FilmQuery, page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === false) continue;
    params.set(name, String(value));
  }
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The films endpoint's `facets` (asked with `facets: true`), typed by the OpenAPI document. */
export type FilmFacets = components["schemas"]["FilmFacets"];
type TermCount = components["schemas"]["TermCount"];

/**
 * The catalogue's facet counts, by filter name and value, from the films endpoint's `facets`: counted
 * by the CMS over every film the visitor may see, each facet ignoring its own filter.
 */
export function facetCounts(facets: FilmFacets | null | undefined): Record<string, Map<string, number>> {
  const counts: Record<string, Map<string, number>> = {};
  if (!facets) return counts;
  const bySlug = (terms: TermCount[]) => new Map(terms.map((term) => [term.slug, term.count]));
  counts.coordination = new Map(facets.coordination.map((item) => [String(item.id), item.count]));
  counts.theme = bySlug(facets.theme);
  counts.audience = bySlug(facets.audience);
  counts.genre = bySlug(facets.genre);
  counts.action_type = bySlug(facets.action_type);
  counts.spoken_language = bySlug(facets.language);
  counts.year = new Map(facets.year.map((item) => [String(item.year), item.count]));
  counts.has_captions = new Map([["true", facets.accessibility.captions]]);
  counts.has_audio_description = new Map([["true", facets.accessibility.audio_description]]);
  counts.has_sign_language = new Map([["true", facets.accessibility.sign_language]]);
  return counts;
}
