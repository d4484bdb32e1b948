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
  security: { checkOrigin: true },
  build: { inlineStylesheets: "always" },
  image: { service: { entrypoint: "astro/assets/services/noop" } },
});
