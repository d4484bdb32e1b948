/** The CMS's rich text and links, pointed at this site instead of the CMS. */
import { pathOf } from "../api/client.ts";

const ABSOLUTE_HREF = /href="https?:\/\/[^/"]+(\/[^"]*)"/g;

/** Links to the CMS's pages become links to the same path on this site. */
export function siteHref(url: string | null | undefined): string {
  if (!url) return "#";
  return /^https?:\/\//.test(url) ? url : pathOf(url);
}

/** Rich text from the CMS, its internal links made relative. */
export function richText(html: unknown): string {
  return typeof html === "string" ? html.replace(ABSOLUTE_HREF, 'href="$1"') : "";
}
