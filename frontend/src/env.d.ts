/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Language of the request: "fr" at /, "en" under /en/. */
    lang: import("./lib/i18n.ts").Lang;
    /** The path the visitor asked for, before the /en/ prefix was taken off. */
    originalPath: string;
    /** The partner's session for this request (token, address, whether the CMS refused it). */
    session: import("./lib/session.ts").CallContext;
  }
}
