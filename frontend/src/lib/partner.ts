/** The partner space's calls: the logged-in account, log-in, log-out, and the site's paths for downloads. */
import type { AstroGlobal } from "astro";
import { allauth, api, type Schemas } from "../api/client.ts";
import { localePath, type Lang } from "./i18n.ts";
import { cookieOptions, SESSION_COOKIE } from "./session.ts";
import { siteOrigin } from "./site.ts";

export type PartnerAccount = Schemas["PartnerAccount"];

export const SPACE = "/espace-partenaires/";
export const LOGIN = "/espace-partenaires/connexion";

/** The logged-in partner's account, or null (no session, or the CMS refused it). */
export async function currentAccount(): Promise<PartnerAccount | null> {
  const answer = await api.GET("/api/v3/partner/me/");
  return answer.data ?? null;
}

/** The log-in page's address in a language, coming back to `next` afterwards. */
export function loginPath(lang: Lang, next?: string): string {
  const path = localePath(lang, LOGIN);
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export type LoginResult =
  | { ok: true; token: string }
  | { ok: false; reason: "wrong" | "locked" | "verify"; retryAfter?: number };

export async function logIn(email: string, password: string): Promise<LoginResult> {
  const answer = await allauth("POST", "/auth/login", { body: { email, password } });
  const meta = (answer.body?.meta ?? {}) as { session_token?: string };
  if (answer.status === 200 && meta.session_token) return { ok: true, token: meta.session_token };
  if (answer.status === 429) return { ok: false, reason: "locked", retryAfter: Number(answer.retryAfter) || 900 };
  if (answer.status === 401) {
    const flows = ((answer.body?.data ?? {}) as { flows?: { id: string; is_pending?: boolean }[] }).flows ?? [];
    if (flows.some((flow) => flow.id === "verify_email" && flow.is_pending)) return { ok: false, reason: "verify" };
  }
  return { ok: false, reason: "wrong" };
}

/** Ends the session at the CMS (its token is refused from then on) and clears the cookie. */
export async function logOut(astro: AstroGlobal): Promise<void> {
  const token = astro.locals.session.token;
  if (token) await allauth("DELETE", "/auth/session", { headers: { "X-Session-Token": token } });
  astro.locals.session.token = null;
  astro.cookies.delete(SESSION_COOKIE, cookieOptions(siteOrigin(astro.url)));
}

export function keepSession(astro: AstroGlobal, token: string): void {
  astro.cookies.set(SESSION_COOKIE, token, cookieOptions(siteOrigin(astro.url)));
  astro.locals.session.token = token;
}

/** The site's route that fetches a download for the visitor (the CMS logs it to their organisation). */
export function filmDownloadPath(filmId: number, rendition: string): string {
  return `/espace-partenaires/telecharger/film/${filmId}/${rendition}`;
}

export function packDownloadPath(filmId: number): string {
  return `/espace-partenaires/telecharger/film/${filmId}/dossier`;
}

/** A guide document's download on the site, from the API's download_url (`...?document=<id>`). */
export function guideDownloadPath(guideId: number, downloadUrl: string): string | null {
  const match = /[?&]document=(\d+)/.exec(downloadUrl);
  return match ? `/espace-partenaires/telecharger/guide/${guideId}/${match[1]}` : null;
}

/** The last path segment as the mail wrote it, URL-decoded (keys hold ":" sent as %3A). */
export function keyFromPath(pathname: string): string {
  const segment = pathname.replace(/\/+$/, "").split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

/** Posted form fields as trimmed strings. */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  try {
    const form = await request.formData();
    for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
  } catch {
    // Not a form: no fields.
  }
  return fields;
}
