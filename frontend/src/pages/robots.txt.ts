/** robots.txt: everything public may be crawled except search results, previews and the partner space. */
import type { APIRoute } from "astro";
import { siteOrigin } from "../lib/site.ts";

export const GET: APIRoute = ({ url }) => {
  const site = siteOrigin(url);
  const body = [
    "User-agent: *",
    "Disallow: /recherche/",
    "Disallow: /en/search/",
    "Disallow: /preview/",
    "Disallow: /espace-partenaires/",
    "Disallow: /en/espace-partenaires/",
    "Disallow: /pistes/",
    "",
    `Sitemap: ${site}/sitemap.xml`,
    "",
  ].join("\n");
  return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8" } });
};
