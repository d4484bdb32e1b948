/**
 * Every request: the language from the path (English under /en/, rewritten to
 * the same route files as French), the partner's session (its cookie read,
 * forwarded on every CMS call with the visitor's address, cleared when the
 * CMS refuses it), the Origin check of every form post (not of the CMS's
 * signed webhook), and the French 503
 * page when the CMS does not answer in time. Bad input never reaches this
 * point as an error: the pages validate it.
 */
import { defineMiddleware } from "astro:middleware";
import { CmsUnavailable } from "./api/client.ts";
import { splitLocale, t, type Lang } from "./lib/i18n.ts";
import { cookieOptions, runWithContext, SESSION_COOKIE, type CallContext } from "./lib/session.ts";
import { siteOrigin } from "./lib/site.ts";
import { WEBHOOK_PATH } from "./lib/webhook.ts";

export const onRequest = defineMiddleware(async (context, next) => {
  const { lang, path } = splitLocale(context.url.pathname);
  context.locals.lang = lang;
  context.locals.originalPath = context.url.pathname;
  const site = siteOrigin(context.url);
  // The CMS's webhook is a server-to-server post with no Origin: its signature is its check (pages/webhooks/cms.ts).
  const isWebhook = context.url.pathname.replace(/\/+$/, "") === WEBHOOK_PATH;
  if (!["GET", "HEAD"].includes(context.request.method) && !isWebhook) {
    // Forms post to the site only from its own pages: with the SameSite=Lax cookie, this is the CSRF defence.
    const origin = context.request.headers.get("Origin");
    if (!origin || (origin !== context.url.origin && origin !== new URL(site).origin)) {
      return new Response("Forbidden", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
  }
  let clientAddress = "";
  try {
    clientAddress = context.clientAddress;
  } catch {
    clientAddress = "";
  }
  const call: CallContext = { token: context.cookies.get(SESSION_COOKIE)?.value || null, clientAddress, expired: false };
  context.locals.session = call;
  try {
    const response = await runWithContext(call, () =>
      lang === "en" ? next(`${path}${context.url.search}`) : next(),
    );
    if (call.expired) context.cookies.delete(SESSION_COOKIE, cookieOptions(site));
    if (call.token || call.expired) {
      try {
        response.headers.set("Cache-Control", "private, no-store");
      } catch {
        // A response with immutable headers (a redirect) is never cached anyway.
      }
    }
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
