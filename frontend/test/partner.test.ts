import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDateTime, formatShortDate } from "../src/lib/i18n.ts";
import { guideDownloadPath, keyFromPath } from "../src/lib/partner.ts";
import { cookieIsInsecureOk, cookieOptions, safeNext } from "../src/lib/session.ts";

test("the session cookie is Secure except for a site on plain-HTTP loopback", () => {
  assert.equal(cookieIsInsecureOk("http://127.0.0.1:3000"), true);
  assert.equal(cookieIsInsecureOk("http://localhost:4321"), true);
  assert.equal(cookieIsInsecureOk("https://127.0.0.1"), false);
  assert.equal(cookieIsInsecureOk("http://passeurs.example"), false);
  assert.equal(cookieIsInsecureOk("not a url"), false);
  assert.deepEqual(cookieOptions("https://passeurs.example"), { httpOnly: true, secure: true, sameSite: "lax", path: "/" });
});

test("next addresses stay on the site", () => {
  assert.equal(safeNext("/espace-partenaires/jetons/", "/x"), "/espace-partenaires/jetons/");
  for (const bad of ["//evil.example/", "https://evil.example/", "/\\evil.example", "", null]) {
    assert.equal(safeNext(bad, "/espace-partenaires/"), "/espace-partenaires/");
  }
});

test("dates read as 06/12/2026 14:05, Paris time", () => {
  assert.equal(formatDateTime("fr", "2026-12-06T13:05:00Z"), "06/12/2026 14:05");
  assert.equal(formatDateTime("fr", "2026-07-01T22:30:00Z"), "02/07/2026 00:30");
  assert.equal(formatShortDate("2027-03-07"), "07/03/2027");
  assert.equal(formatShortDate("2027-03-07T22:59:59Z"), "07/03/2027");
  assert.equal(formatDateTime("fr", "nonsense"), "");
});

test("mailed keys are URL-decoded and guide downloads keep their document", () => {
  assert.equal(keyFromPath("/espace-partenaires/mot-de-passe/nouveau/abc%3Adef-1"), "abc:def-1");
  assert.equal(keyFromPath("/espace-partenaires/verifier-email/%E0%A4%A"), "");
  assert.equal(guideDownloadPath(4, "/api/v3/guides/4/download/?document=17"), "/espace-partenaires/telecharger/guide/4/17");
  assert.equal(guideDownloadPath(4, "/api/v3/guides/4/download/"), null);
});

test("a non-ASCII slug is percent-encoded in the site's paths", async () => {
  const { filmPath, guidePath } = await import("../src/lib/paths.ts");
  assert.equal(filmPath({ id: 12, slug: "film-réseau" }), "/films/12-film-r%C3%A9seau/");
  assert.equal(guidePath({ id: 3, slug: "guide" }), "/guides/3-guide/");
});
