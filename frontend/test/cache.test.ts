import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiCache, DOWN_PAUSE_MS, FALLBACK_SECONDS, SETTLE_MS, storagePolicy } from "../src/api/cache.ts";
import { eventType, readLimited, sign, verifySignature } from "../src/lib/webhook.ts";

const PUBLIC = "public, max-age=60, stale-while-revalidate=300";

/** A fake CMS behind `send`: counts calls, answers 304 to a matching If-None-Match, can be made to fail. */
function cms(options: { cacheControl?: string; body?: string; etag?: string } = {}) {
  const state = {
    calls: [] as Request[],
    body: options.body ?? '{"items":[1]}',
    etag: options.etag ?? '"v1"',
    cacheControl: options.cacheControl ?? PUBLIC,
    down: false,
  };
  const send = async (request: Request): Promise<Response> => {
    state.calls.push(request);
    if (state.down) throw new Error("connection refused");
    const headers = { "Cache-Control": state.cacheControl, ETag: state.etag, "Content-Type": "application/json" };
    if (request.headers.get("If-None-Match") === state.etag) return new Response(null, { status: 304, headers });
    return new Response(state.body, { status: 200, headers });
  };
  return { state, send };
}

function clock() {
  const time = { now: 1_000_000 };
  return { time, now: () => time.now };
}

const get = (url = "http://cms.test/api/v3/films/", headers: Record<string, string> = {}) => new Request(url, { headers });

test("a fresh answer is served without asking the CMS", async () => {
  const { time, now } = clock();
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20, now });
  const { state, send } = cms();
  assert.equal((await cache.fetch(get(), send)).headers.get("X-Site-Cache"), "miss");
  time.now += 59_000;
  const again = await cache.fetch(get(), send);
  assert.equal(again.headers.get("X-Site-Cache"), "hit");
  assert.equal(await again.text(), '{"items":[1]}');
  assert.equal(state.calls.length, 1);
});

test("past max-age the answer is revalidated with If-None-Match and a 304 reuses it", async () => {
  const { time, now } = clock();
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20, now });
  const { state, send } = cms();
  await cache.fetch(get(), send);
  time.now += 61_000;
  const renewed = await cache.fetch(get(), send);
  assert.equal(state.calls.length, 2);
  assert.equal(state.calls[1]!.headers.get("If-None-Match"), '"v1"');
  assert.equal(renewed.headers.get("X-Site-Cache"), "revalidated");
  assert.equal(await renewed.text(), '{"items":[1]}');
  // Renewed: fresh again for max-age.
  time.now += 30_000;
  assert.equal((await cache.fetch(get(), send)).headers.get("X-Site-Cache"), "hit");
  assert.equal(state.calls.length, 2);
  // A change: the CMS answers 200 with the new body, which replaces the old one.
  time.now += 61_000;
  state.body = '{"items":[2]}';
  state.etag = '"v2"';
  assert.equal(await (await cache.fetch(get(), send)).text(), '{"items":[2]}');
});

test("when the CMS fails, a stale answer is served within stale-while-revalidate, then no longer", async () => {
  const { time, now } = clock();
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20, now });
  const { state, send } = cms();
  await cache.fetch(get(), send);
  state.down = true;
  time.now += 120_000;
  const stale = await cache.fetch(get(), send);
  assert.equal(stale.headers.get("X-Site-Cache"), "stale");
  assert.equal(await stale.text(), '{"items":[1]}');
  // Right after a failure the CMS is not asked again: one deadline per page, not one per call.
  await cache.fetch(get(), send);
  assert.equal(state.calls.length, 2);
  time.now += DOWN_PAUSE_MS;
  await cache.fetch(get(), send);
  assert.equal(state.calls.length, 3);
  // Past max-age + stale-while-revalidate (360 s), the failure is the caller's.
  time.now = 1_000_000 + 361_000;
  await assert.rejects(cache.fetch(get(), send), /connection refused/);
  // An answer never kept: the failure too.
  await assert.rejects(cache.fetch(get("http://cms.test/api/v3/guides/"), send), /connection refused/);
});

test("private, no-store, no-cache, Vary: * and non-200 answers are never kept", async () => {
  for (const cacheControl of ["private, no-store", "public, no-store", "no-cache, public, max-age=60", "max-age=60"]) {
    const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20 });
    const { state, send } = cms({ cacheControl });
    await cache.fetch(get(), send);
    await cache.fetch(get(), send);
    assert.equal(state.calls.length, 2, cacheControl);
    assert.equal(cache.size, 0);
    assert.equal(state.calls[1]!.headers.get("If-None-Match"), null);
  }
  assert.equal(storagePolicy(new Response("x", { headers: { "Cache-Control": PUBLIC, Vary: "*" } })), null);
  assert.equal(storagePolicy(new Response("x", { status: 404, headers: { "Cache-Control": PUBLIC } })), null);
  assert.deepEqual(storagePolicy(new Response("x", { headers: { "Cache-Control": PUBLIC } })), { maxAge: 60, staleFor: 300 });
});

test("an anonymous answer without Cache-Control is asked again every time and shown only when the CMS fails", async () => {
  const { time, now } = clock();
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20, now });
  const { state, send } = cms();
  const plain = async (request: Request) => {
    const answer = await send(request);
    return new Response(answer.body, { status: answer.status, headers: { "Content-Type": "application/json" } });
  };
  await cache.fetch(get(), plain);
  assert.equal((await cache.fetch(get(), plain)).headers.get("X-Site-Cache"), "miss");
  assert.equal(state.calls.length, 2);
  assert.equal(state.calls[1]!.headers.get("If-None-Match"), null);
  state.down = true;
  const shown = await cache.fetch(get(), plain);
  assert.equal(shown.headers.get("X-Site-Cache"), "stale");
  assert.equal(await shown.text(), '{"items":[1]}');
  time.now += FALLBACK_SECONDS * 1000;
  await assert.rejects(cache.fetch(get(), plain), /connection refused/);
  const withCookie = new Response("x", { headers: { "Set-Cookie": "a=b", "Cache-Control": PUBLIC } });
  assert.equal(storagePolicy(withCookie), null);
});

test("a partner's session, a token, a cookie or a preview never reads nor fills the cache", async () => {
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20 });
  const { state, send } = cms();
  await cache.fetch(get(), send);
  for (const request of [
    get(undefined, { "X-Session-Token": "abc" }),
    get(undefined, { Authorization: "Bearer abc" }),
    get(undefined, { Cookie: "sessionid=abc" }),
    get("http://cms.test/api/v3/preview/films/?token=abc"),
  ]) {
    assert.equal((await cache.fetch(request, send)).headers.get("X-Site-Cache"), null);
  }
  assert.equal(state.calls.length, 5);
  assert.equal(cache.size, 1);
});

test("the cache is bounded by entry count and by bytes, least recently used out first", async () => {
  const cache = new ApiCache({ maxEntries: 3, maxBytes: 1 << 20 });
  const { state, send } = cms();
  for (const n of [1, 2, 3]) await cache.fetch(get(`http://cms.test/api/v3/films/${n}/`), send);
  await cache.fetch(get("http://cms.test/api/v3/films/1/"), send); // 1 is now the most recent
  await cache.fetch(get("http://cms.test/api/v3/films/4/"), send); // 2 goes
  assert.equal(cache.size, 3);
  const before = state.calls.length;
  await cache.fetch(get("http://cms.test/api/v3/films/1/"), send);
  await cache.fetch(get("http://cms.test/api/v3/films/3/"), send);
  assert.equal(state.calls.length, before);
  await cache.fetch(get("http://cms.test/api/v3/films/2/"), send);
  assert.equal(state.calls.length, before + 1);

  const small = new ApiCache({ maxEntries: 100, maxBytes: 8 * 2000 });
  const big = cms({ body: "x".repeat(1500) });
  for (let n = 0; n < 20; n++) await small.fetch(get(`http://cms.test/api/v3/films/${n}/`), big.send);
  assert.ok(small.usedBytes <= 8 * 2000, String(small.usedBytes));
  assert.ok(small.size < 20 && small.size > 0);
  // An answer over an eighth of the budget is passed on, not kept.
  const huge = cms({ body: "x".repeat(3000) });
  const answer = await small.fetch(get("http://cms.test/api/v3/films/huge/"), huge.send);
  assert.equal((await answer.text()).length, 3000);
  assert.equal(answer.headers.get("X-Site-Cache"), null);
});

test("after invalidate(), nothing kept is shown without the CMS confirming it, not even while it is down", async () => {
  const { time, now } = clock();
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20, now });
  const { state, send } = cms();
  await cache.fetch(get(), send);
  cache.invalidate();
  const confirmed = await cache.fetch(get(), send);
  assert.equal(confirmed.headers.get("X-Site-Cache"), "revalidated");
  assert.equal(state.calls.length, 2);
  // While the CMS settles, every use asks again (cheaply: a 304).
  await cache.fetch(get(), send);
  assert.equal(state.calls.length, 3);
  time.now += SETTLE_MS;
  assert.equal((await cache.fetch(get(), send)).headers.get("X-Site-Cache"), "hit");

  cache.invalidate();
  state.down = true;
  await assert.rejects(cache.fetch(get(), send), /connection refused/);
});

test("an answer that was in flight when invalidate() came is not served as fresh afterwards", async () => {
  const { time, now } = clock();
  const cache = new ApiCache({ maxEntries: 10, maxBytes: 1 << 20, now });
  const { state, send } = cms();
  const slow = async (request: Request) => {
    cache.invalidate(); // the event arrives while the CMS is answering
    return send(request);
  };
  await cache.fetch(get(), slow);
  time.now += SETTLE_MS;
  assert.equal((await cache.fetch(get(), send)).headers.get("X-Site-Cache"), "revalidated");
  assert.equal(state.calls.length, 2);
});

test("webhook signatures: the CMS's scheme, constant-time compared, five minutes of tolerance", () => {
  const body = new TextEncoder().encode('{"id":"1","type":"page.published"}');
  const now = 1_800_000_000;
  const header = sign("s3cret", body, now);
  assert.match(header, /^t=1800000000,v1=[0-9a-f]{64}$/);
  assert.ok(verifySignature("s3cret", body, header, now + 299));
  assert.ok(!verifySignature("s3cret", body, header, now + 301));
  assert.ok(!verifySignature("other", body, header, now));
  assert.ok(!verifySignature("s3cret", new TextEncoder().encode('{"id":"1","type":"page.deleted"}'), header, now));
  assert.ok(!verifySignature("", body, header, now));
  for (const bad of [null, "", "t=abc,v1=00", `t=${now}`, `v1=${"0".repeat(64)}`, `t=${now},v1=${"z".repeat(64)}`]) {
    assert.ok(!verifySignature("s3cret", body, bad, now), String(bad));
  }
});

test("webhook bodies: a JSON object with a type, read up to a limit", async () => {
  assert.equal(eventType('{"type":"film.tier_changed","data":{}}'), "film.tier_changed");
  for (const bad of ["", "garbage", "[]", "null", '{"type":3}', '{"data":{}}']) assert.equal(eventType(bad), null, bad);
  const post = (body: string) => new Request("http://site.test/webhooks/cms", { method: "POST", body });
  assert.equal((await readLimited(post("abc"), 10))?.byteLength, 3);
  assert.equal(await readLimited(post("x".repeat(11)), 10), null);
});
