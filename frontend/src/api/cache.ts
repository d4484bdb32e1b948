/**
 * The site's memory of anonymous API answers, so a page does not cost a CMS
 * round trip per call and keeps being served while the CMS is down.
 *
 * Only what the CMS marks `public` (anonymous reads: `public, max-age=60,
 * stale-while-revalidate=300`, with an ETag) is served from memory;
 * `private`, `no-store`, `no-cache`, `Vary: *`, non-200 answers, answers
 * that set a cookie, partners' sessions and previews are never kept. An
 * anonymous answer without any Cache-Control (Wagtail's pages routes, which
 * the header's navigation reads) is kept with max-age 0: always asked
 * again, shown only when asking fails, so a page already seen still shows
 * while the CMS is down. An answer is used:
 *
 * - as is while fresh (younger than max-age): no request at all;
 * - once stale, after asking the CMS with If-None-Match: a 304 renews it
 *   (no body sent again), a 200 replaces it;
 * - when that question fails (CMS down, slow past the deadline, 5xx), as is,
 *   for as long as stale-if-error (or else stale-while-revalidate) allows.
 *   After a failure the CMS is not asked again for DOWN_PAUSE_MS, so a page
 *   made of several cached calls costs one deadline, not one per call.
 *
 * A CMS webhook calls `invalidate()`: every answer kept so far may no longer
 * be shown without the CMS confirming it (304) — never served fresh, never
 * served stale — and for SETTLE_MS afterwards nothing is served without
 * asking, because the CMS may still be rewriting the lists the event
 * touched. Dropping everything (rather than URLs named by the event) is the
 * only rule that also catches every filtered list, search and sitemap page
 * that showed the item; keeping the ETags makes it cheap, since the answers
 * that did not change come back as 304s.
 *
 * Memory is bounded by entry count and by bytes (least recently used first
 * out); an answer larger than an eighth of the byte budget is not kept.
 */

export type Send = (request: Request) => Promise<Response>;

export interface CacheOptions {
  maxEntries: number;
  maxBytes: number;
  /** The clock, in milliseconds (tests move it by hand). */
  now?: () => number;
}

/** After a failed call, how long stale answers are served without asking the CMS again. */
export const DOWN_PAUSE_MS = 3000;
/** After a webhook, how long every answer is revalidated before use. */
export const SETTLE_MS = 10_000;

interface Entry {
  url: string;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  etag: string | null;
  storedAt: number;
  maxAge: number;
  staleFor: number;
  generation: number;
  vary: Record<string, string | null>;
  size: number;
}

/** The request headers that make a call personal: such a call is never answered from, nor stored in, the cache. */
const PERSONAL_HEADERS = ["authorization", "cookie", "x-session-token"];
/** Headers of the CMS's answer that do not describe the body kept (it is kept decoded). */
const DROPPED_HEADERS = new Set(["content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"]);

export function parseCacheControl(value: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const part of (value ?? "").split(",")) {
    const [name, ...rest] = part.trim().split("=");
    if (!name) continue;
    directives.set(name.toLowerCase(), rest.length ? rest.join("=").trim().replace(/^"|"$/g, "") : true);
  }
  return directives;
}

function seconds(directives: Map<string, string | true>, name: string): number | null {
  const value = directives.get(name);
  if (typeof value !== "string" || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * How long an answer an anonymous visitor got without any Cache-Control (Wagtail's pages routes: the
 * navigation) is kept, in seconds, for one use only: being shown while the CMS fails. It is never
 * served instead of asking.
 */
export const FALLBACK_SECONDS = 300;

/** max-age and the stale period of a storable answer, or null when the answer must not be kept. */
export function storagePolicy(response: Response): { maxAge: number; staleFor: number } | null {
  if (response.status !== 200 || response.headers.has("Set-Cookie")) return null;
  if ((response.headers.get("Vary") ?? "").split(",").some((name) => name.trim() === "*")) return null;
  if (!response.headers.has("Cache-Control")) return { maxAge: 0, staleFor: FALLBACK_SECONDS };
  const directives = parseCacheControl(response.headers.get("Cache-Control"));
  if (!directives.has("public")) return null;
  if (["private", "no-store", "no-cache"].some((name) => directives.has(name))) return null;
  const maxAge = seconds(directives, "s-maxage") ?? seconds(directives, "max-age");
  if (maxAge === null) return null;
  const staleFor = Math.max(seconds(directives, "stale-if-error") ?? 0, seconds(directives, "stale-while-revalidate") ?? 0);
  return { maxAge, staleFor };
}

function isPersonal(request: Request): boolean {
  if (PERSONAL_HEADERS.some((name) => request.headers.has(name))) return true;
  // Draft previews are answered per token and never public; never even looked up.
  return new URL(request.url).pathname.includes("/preview/");
}

function varyOf(response: Response, request: Request): Record<string, string | null> {
  const vary: Record<string, string | null> = {};
  for (const name of (response.headers.get("Vary") ?? "").split(",")) {
    const key = name.trim().toLowerCase();
    if (key) vary[key] = request.headers.get(key);
  }
  return vary;
}

export class ApiCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generation = 0;
  private settleUntil = 0;
  private downUntil = 0;

  constructor(options: CacheOptions) {
    this.maxEntries = Math.max(0, Math.floor(options.maxEntries));
    this.maxBytes = Math.max(0, Math.floor(options.maxBytes));
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  /** Nothing kept so far is shown again unless the CMS confirms it. */
  invalidate(): void {
    this.generation += 1;
    this.settleUntil = this.now() + SETTLE_MS;
  }

  /** `request` answered from memory when the rules above allow, else through `send` (which throws when the CMS fails). */
  async fetch(request: Request, send: Send): Promise<Response> {
    if (request.method !== "GET" || this.maxEntries === 0 || isPersonal(request)) return send(request);
    const generation = this.generation;
    const entry = this.lookup(request);
    if (entry && this.isFresh(entry)) return this.answer(entry, "hit");
    if (entry && this.now() < this.downUntil && this.mayServeStale(entry)) return this.answer(entry, "stale");
    let conditional = request;
    if (entry?.etag) {
      conditional = new Request(request);
      conditional.headers.set("If-None-Match", entry.etag);
    }
    let response: Response;
    try {
      response = await send(conditional);
    } catch (error) {
      this.downUntil = this.now() + DOWN_PAUSE_MS;
      if (entry && this.mayServeStale(entry)) return this.answer(entry, "stale");
      throw error;
    }
    if (response.status === 304 && entry) {
      await response.body?.cancel();
      this.renew(entry, response, generation);
      return this.answer(entry, "revalidated");
    }
    if (response.status === 304) {
      // Asked without an ETag, answered as if with one: not for this cache to guess; the call is made again plainly.
      await response.body?.cancel();
      return send(request);
    }
    const policy = storagePolicy(response);
    if (!policy) {
      if (entry) this.remove(entry.url);
      return response;
    }
    const declared = Number(response.headers.get("Content-Length") ?? "0");
    if (declared > this.maxEntryBytes()) {
      if (entry) this.remove(entry.url);
      return response;
    }
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      this.downUntil = this.now() + DOWN_PAUSE_MS;
      if (entry && this.mayServeStale(entry)) return this.answer(entry, "stale");
      throw error;
    }
    const headers = [...response.headers].filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()));
    const stored: Entry = {
      url: request.url,
      status: response.status,
      headers,
      body,
      etag: response.headers.get("ETag"),
      storedAt: this.now(),
      maxAge: policy.maxAge,
      staleFor: policy.staleFor,
      generation,
      vary: varyOf(response, request),
      size: body.byteLength + request.url.length + headers.reduce((sum, [n, v]) => sum + n.length + v.length, 0),
    };
    if (this.store(stored)) return this.answer(stored, "miss");
    return new Response(body, { status: response.status, headers });
  }

  private maxEntryBytes(): number {
    return Math.floor(this.maxBytes / 8);
  }

  private lookup(request: Request): Entry | null {
    const entry = this.entries.get(request.url);
    if (!entry) return null;
    if (Object.entries(entry.vary).some(([name, value]) => request.headers.get(name) !== value)) return null;
    // Most recently used last.
    this.entries.delete(entry.url);
    this.entries.set(entry.url, entry);
    return entry;
  }

  private age(entry: Entry): number {
    return (this.now() - entry.storedAt) / 1000;
  }

  private isFresh(entry: Entry): boolean {
    return entry.generation === this.generation && this.now() >= this.settleUntil && this.age(entry) < entry.maxAge;
  }

  private mayServeStale(entry: Entry): boolean {
    return entry.generation === this.generation && this.age(entry) < entry.maxAge + entry.staleFor;
  }

  private renew(entry: Entry, response: Response, generation: number): void {
    const policy = storagePolicy(new Response(null, { status: 200, headers: response.headers }));
    if (policy) {
      entry.maxAge = policy.maxAge;
      entry.staleFor = policy.staleFor;
    }
    entry.etag = response.headers.get("ETag") ?? entry.etag;
    entry.storedAt = this.now();
    entry.generation = generation;
  }

  private store(entry: Entry): boolean {
    if (entry.size > this.maxEntryBytes()) {
      this.remove(entry.url);
      return false;
    }
    this.remove(entry.url);
    this.entries.set(entry.url, entry);
    this.bytes += entry.size;
    for (const [url] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(url);
    }
    return true;
  }

  private remove(url: string): void {
    const entry = this.entries.get(url);
    if (!entry) return;
    this.entries.delete(url);
    this.bytes -= entry.size;
  }

  private answer(entry: Entry, how: "hit" | "stale" | "revalidated" | "miss"): Response {
    const headers = new Headers(entry.headers);
    headers.set("X-Site-Cache", how);
    return new Response(entry.body.slice(), { status: entry.status, headers });
  }
}
