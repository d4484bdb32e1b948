"""Every admin URL that takes no argument (listings, reports, dashboards, their exports), asked by editor_a.

`test_admin_sweep` covers the URLs that name an object; these name none, so
what they show is whatever their queryset holds: another coordination's
items must be left out there. The list comes from Django's URL resolver, as
there; each named admin pattern without an argument is asked with GET, and
so is each export of a view that exports (Wagtail's `SpreadsheetExportMixin`:
`?export=csv` and `?export=xlsx`, the workbook's text read from its XML).
B's items are those of `test_admin_sweep.build_other_coordination`, with
log entries as the admin writes them (B's editor creating a consent record,
a partner organisation and a token, saving drafts). No response may contain
one of B's secrets; a national editor is shown them (the sweep is not
blind).
"""

import io
import zipfile

import pytest

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from library.models import ConsentRecord, PartnerOrganisation, PartnerToken
from tests.library.network import build_network
from tests.library.test_admin_sweep import ADMIN_ROUTE, build_other_coordination

pytestmark = pytest.mark.django_db

#: The exports of Wagtail's listing and report views.
EXPORT_FORMATS = ("csv", "xlsx")
#: Wagtail's view that raises on purpose, to test the error page.
DELIBERATE_ERRORS = ("wagtailadmin_error_test",)


def _view_class(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def listing_urls():
    """(url, name) of every named admin URL pattern without an argument, and the exports of those that export."""
    found = {}

    def walk(entries, chain, namespaces):
        for entry in entries:
            if isinstance(entry, URLResolver):
                spaces = namespaces + ([entry.namespace] if entry.namespace else [])
                walk(entry.url_patterns, [*chain, entry], spaces)
            elif isinstance(entry, URLPattern):
                parts = [*chain, entry]
                route = "".join(str(part.pattern) for part in parts)
                if not route.startswith(ADMIN_ROUTE) or any(part.pattern.regex.groupindex for part in parts):
                    continue
                if not entry.name:  # Wagtail's catch-all 404 (`^.*/$`)
                    continue
                name = ":".join([*namespaces, entry.name])
                if name in DELIBERATE_ERRORS:
                    continue
                url = reverse(name)
                found.setdefault(url, name)
                view_class = _view_class(entry.callback)
                if isinstance(view_class, type) and issubclass(view_class, SpreadsheetExportMixin):
                    for export in EXPORT_FORMATS:
                        found.setdefault(f"{url}?export={export}", name)

    walk(get_resolver().url_patterns, [], [])
    return sorted(found.items())


def body_text(response):
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content.startswith(b"PK"):  # a workbook: its strings are in its XML parts
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            content = b"\n".join(workbook.read(name) for name in workbook.namelist() if name.endswith(".xml"))
    return content.decode("utf-8", errors="replace") + "\n" + response.get("Location", "")


def _log_admin_work(network):
    """Log entries as B's editor leaves them in the admin (the factories create objects without them)."""
    editor_b, coord_b = network.users["editor_b"], network.coord_b
    for model, field in (
        (ConsentRecord, "coordination"),
        (PartnerOrganisation, "coordination"),
        (PartnerToken, "organisation__coordination"),
    ):
        for obj in model.objects.filter(**{field: coord_b}):
            log(obj, "wagtail.create", user=editor_b)
    for page in coord_b.get_descendants(inclusive=True).specific():
        page.save_revision(user=editor_b, log_action=True)


@pytest.fixture(scope="module")
def world(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        _subjects, secrets = build_other_coordination(network)
        _log_admin_work(network)
        for user in network.users.values():
            UserProfile.get_for_user(user)
        urls = listing_urls()
    return {"network": network, "secrets": secrets, "urls": urls}


def run(client, user, urls, secrets):
    """{url: (status, [secrets found])} for a GET of each URL by `user`."""
    client.force_login(user)
    client.raise_request_exception = False
    answers = {}
    for url, _name in urls:
        response = client.get(url)
        body = body_text(response).lower()
        answers[url] = (response.status_code, [secret for secret in secrets if secret.lower() in body])
    return answers


def test_every_admin_url_without_argument_is_swept(world):
    urls = dict(world["urls"])
    print(f"\n{len(urls)} admin URLs without an argument swept ({sum('?export=' in u for u in urls)} exports)")
    for expected in ("/admin/reports/site-history/", "/admin/reports/page-types-usage/", "/admin/snippets/"):
        assert expected in urls
    assert "/admin/reports/site-history/?export=xlsx" in urls


def test_no_admin_listing_shows_another_coordinations_items(client, world):
    answers = run(client, world["network"].users["editor_a"], world["urls"], world["secrets"])
    leaks = [
        f"GET {url} → {status}: {world['secrets'][secret]} ({secret!r})"
        for url, (status, found) in answers.items()
        for secret in found
    ]
    errors = [f"GET {url} → {status}" for url, (status, _found) in answers.items() if status >= 500]
    assert not leaks + errors, f"{len(leaks)} leaks, {len(errors)} server errors:\n" + "\n".join(leaks + errors)


def test_a_national_editor_is_shown_b_s_logged_items(client, world):
    """The control: the listings the sweep asks do show B's items to someone allowed to see them."""
    answers = run(client, world["network"].users["national"], world["urls"], world["secrets"])
    seen = {secret for _status, found in answers.values() for secret in found}
    for secret in ("Consentement Zanzibar", "Structure Zanzibar", "Film brouillon Zanzibar", "Film interne Zanzibar"):
        assert secret in seen
