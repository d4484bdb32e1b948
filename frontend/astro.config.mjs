// Server-rendered public site: every page is built on request from the CMS API.
import node from "@astrojs/node";
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  trailingSlash: "ignore",
  // No client-side router, no prefetch: plain links and forms.
  prefetch: false,
  devToolbar: { enabled: false },
  // Form posts are checked in src/middleware.ts against the site's own address (SITE_URL, or HOST:PORT):
  // Astro's own check compares with the Host the node adapter sees, which behind a proxy is not the site's.
  security: { checkOrigin: false },
  build: { inlineStylesheets: "always" },
  image: { service: { entrypoint: "astro/assets/services/noop" } },
});
