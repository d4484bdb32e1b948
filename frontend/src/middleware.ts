/**
 * Every request: the language from the path (English under /en/, rewritten to
 * the same route files as French), and the French 503 page when the CMS does
 * not answer in time. Bad input never reaches this point as an error: the
 * pages validate it.
 */
import { defineMiddleware } from "astro:middleware";
import { CmsUnavailable } from "./api/client.ts";
import { splitLocale, t, type Lang } from "./lib/i18n.ts";

export const onRequest = defineMiddleware(async (context, next) => {
  const { lang, path } = splitLocale(context.url.pathname);
  context.locals.lang = lang;
  context.locals.originalPath = context.url.pathname;
  try {
    const response = lang === "en" ? await next(`${path}${context.url.search}`) : await next();
    return response;
  } catch (error) {
    if (error instanceof CmsUnavailable || (error instanceof Error && error.cause instanceof CmsUnavailable)) {
      console.error(error.message);
      return unavailable(lang);
    }
    throw error;
  }
});

function unavailable(lang: Lang): Response {
  const words = t(lang);
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${words.unavailableTitle} · ${words.siteName}</title>
<style>body{font:1.125rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:40rem;margin:4rem auto;padding:0 1rem}
h1{font-size:1.75rem}a{color:#8a1538}a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}</style></head>
<body><main><p><strong>${words.siteName}</strong></p><h1>${words.unavailableTitle}</h1><p>${words.unavailable}</p>
<p><a href="${lang === "en" ? "/en/" : "/"}">${words.backHome}</a></p></main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "60", "Cache-Control": "no-store" },
  });
}
