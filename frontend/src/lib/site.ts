/**
 * The site's own public address, for canonical links, hreflang, OpenGraph and
 * the sitemap: SITE_URL when set (behind a proxy or a CDN), else the address
 * the server listens on.
 */
export function siteOrigin(url: URL): string {
  const configured = process.env.SITE_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const { HOST, PORT } = process.env;
  if (HOST && PORT) return `http://${HOST.includes(":") ? `[${HOST}]` : HOST}:${PORT}`;
  return url.origin;
}
