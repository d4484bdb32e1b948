"""The editors' guide, read inside the admin.

The guide is written in French as Markdown under `docs/guide-editeurs/`, so
it reads the same in the repository and in the admin; the admin serves it
(staff only, like every admin URL) so that editors need nothing but the admin.
`README.md` is the index; every other `<slug>.md` is one page. Links between
pages are written as relative `.md` links, which the repository's viewer
follows, and are rewritten here to the admin's URLs of those pages.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from django.conf import settings
from django.http import Http404
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide-editeurs"
INDEX_FILE = "README.md"
INDEX_SLUG = ""
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLE_PATTERN = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)

#: The help menu's item and the first step of each page's breadcrumbs.
GUIDE_LABEL = _("Editors' guide")

INDEX_URL_NAME = "editors_guide"
PAGE_URL_NAME = "editors_guide_page"


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    source: str

    @property
    def url(self):
        if self.slug == INDEX_SLUG:
            return reverse(INDEX_URL_NAME)
        return reverse(PAGE_URL_NAME, args=[self.slug])


def slug_of(filename):
    """The page's slug, or None for a file that is not a page of the guide."""
    if filename == INDEX_FILE:
        return INDEX_SLUG
    stem, dot, extension = filename.rpartition(".")
    if dot and extension == "md" and SLUG_PATTERN.match(stem):
        return stem
    return None


def read_page(file):
    source = file.read_text(encoding="utf-8")
    match = TITLE_PATTERN.search(source)
    title = match.group(1) if match else file.stem
    body = source[: match.start()] + source[match.end() :] if match else source
    return GuidePage(slug=slug_of(file.name), title=title, source=body)


def guide_pages(directory=None):
    """Every page of the guide by slug; only files found in the guide's folder can be served."""
    directory = directory or GUIDE_DIR
    pages = {}
    for file in sorted(directory.iterdir()):
        if file.is_file() and slug_of(file.name) is not None:
            page = read_page(file)
            pages[page.slug] = page
    return pages


class GuideLinks(Treeprocessor):
    """Relative `.md` links become the admin URLs of those pages (the anchor kept)."""

    def run(self, root: Element):
        for link in root.iter("a"):
            href = link.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.endswith(".md") or "/" in parts.path:
                continue
            slug = slug_of(parts.path)
            if slug is None:
                continue
            url = reverse(INDEX_URL_NAME) if slug == INDEX_SLUG else reverse(PAGE_URL_NAME, args=[slug])
            link.set("href", url + (f"#{parts.fragment}" if parts.fragment else ""))


class GuideLinksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(GuideLinks(md), "guide_links", 5)


def render(page):
    """The page's HTML. Its Markdown is the project's own text, committed with the code."""
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", GuideLinksExtension()],
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        output_format="html",
    )
    return mark_safe(converter.convert(page.source))  # noqa: S308 - committed text, not user input


@lru_cache(maxsize=1)
def _cached_pages(stamp):
    return guide_pages()


def current_pages():
    """The guide's pages, read again only when a file of the folder changes."""
    stamp = tuple((file.name, file.stat().st_mtime_ns) for file in sorted(GUIDE_DIR.iterdir()))
    return _cached_pages(stamp)


class GuidePageView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/editors_guide.html"
    header_icon = "help"

    def get(self, request, slug=INDEX_SLUG):
        pages = current_pages()
        if slug not in pages:
            raise Http404
        self.page = pages[slug]
        return super().get(request)

    def get_page_title(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        if self.page.slug == INDEX_SLUG:
            return self.breadcrumbs_items + [{"url": "", "label": self.page.title}]
        return self.breadcrumbs_items + [
            {"url": reverse(INDEX_URL_NAME), "label": GUIDE_LABEL},
            {"url": "", "label": self.page.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guide_page"] = self.page
        context["guide_html"] = render(self.page)
        if self.page.slug != INDEX_SLUG:
            context["index_url"] = reverse(INDEX_URL_NAME)
        return context


def urls():
    view = GuidePageView.as_view()
    return [
        path("guide-editeurs/", view, name=INDEX_URL_NAME),
        path("guide-editeurs/<slug:slug>/", view, name=PAGE_URL_NAME),
    ]
