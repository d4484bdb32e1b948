import assert from "node:assert/strict";
import { test } from "node:test";
import { catalogueSearch, facetCounts, parseFilmQuery } from "../src/lib/filters.ts";
import { localePath, splitLocale } from "../src/lib/i18n.ts";
import { sanitizeSnippet, textOf } from "../src/lib/sanitize.ts";

test("snippets keep <mark> and escape every other tag", () => {
  assert.equal(sanitizeSnippet("un <mark>film</mark> d&#x27;atelier"), "un <mark>film</mark> d&#x27;atelier");
  assert.equal(sanitizeSnippet('<script>alert(1)</script><mark>x</mark>'), "&lt;script&gt;alert(1)&lt;/script&gt;<mark>x</mark>");
  assert.equal(sanitizeSnippet('<mark onclick="x">a</mark>'), "&lt;mark onclick=\"x\"&gt;a&lt;/mark&gt;");
  assert.equal(sanitizeSnippet("<mark>open"), "<mark>open</mark>");
  assert.equal(sanitizeSnippet("a > b </mark>"), "a &gt; b &lt;/mark&gt;");
  assert.equal(sanitizeSnippet("<img src=x onerror=alert(1)"), "&lt;img src=x onerror=alert(1)");
});

test("plain text drops tags and decodes entities", () => {
  assert.equal(textOf("<p>L&#x27;atelier &amp; la salle</p>"), "L'atelier & la salle");
  assert.equal(textOf("abcdef", 4), "abc…");
});

test("filters keep well-formed values and list the others", () => {
  const parsed = parseFilmQuery(
    new URLSearchParams("theme=mixite&year_min=abc&has_captions=true&ordering=title&page=2&x=<script>"),
  );
  assert.deepEqual(parsed.query, { theme: "mixite", has_captions: true, ordering: "title" });
  assert.equal(parsed.page, 2);
  assert.deepEqual(parsed.rejected, [
    { name: "year_min", value: "abc" },
    { name: "x", value: "<script>" },
  ]);
  assert.equal(catalogueSearch(parsed.query, 3), "?theme=mixite&has_captions=true&ordering=title&page=3");
  const long = parseFilmQuery(new URLSearchParams({ theme: "a".repeat(10000) }));
  assert.equal(long.rejected[0]?.value.length, 81);
});

test("facet counts are read from the endpoint's facets by filter name and value", () => {
  const facets = facetCounts({
    coordination: [{ id: 3, slug: "alpha", name: "Alpha", count: 2 }],
    theme: [{ slug: "a", name: "A", count: 2 }],
    audience: [],
    genre: [{ slug: "doc", name: "Doc", count: 1 }],
    action_type: [],
    year: [{ year: 2021, count: 2 }],
    language: [{ slug: "fr", name: "Français", count: 2 }],
    accessibility: { captions: 2, sdh: 0, audio_description: 0, sign_language: 0 },
  });
  assert.equal(facets.theme?.get("a"), 2);
  assert.equal(facets.coordination?.get("3"), 2);
  assert.equal(facets.spoken_language?.get("fr"), 2);
  assert.equal(facets.year?.get("2021"), 2);
  assert.equal(facets.has_captions?.get("true"), 2);
  assert.equal(facets.has_sign_language?.get("true"), 0);
  assert.equal(facets.audience?.get("x"), undefined);
  assert.deepEqual(facetCounts(null), {});
});

test("English paths live under /en/", () => {
  assert.deepEqual(splitLocale("/en/search/"), { lang: "en", path: "/recherche/" });
  assert.deepEqual(splitLocale("/en/"), { lang: "en", path: "/" });
  assert.deepEqual(splitLocale("/films/"), { lang: "fr", path: "/films/" });
  assert.equal(localePath("en", "/"), "/en/");
  assert.equal(localePath("en", "/films/1-a/"), "/en/films/1-a/");
});
