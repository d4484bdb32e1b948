"""The catalogue admin for editors, in French: listings and filters, consent register, dashboard.

One network is built for the module (two coordinations, their editors, the
national group and workflow, through `library.access.network`); every test runs in
a savepoint on top of it.
"""

import datetime

import pytest

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupPagePermission, WorkflowPage

from library.access.network import WORKFLOW_NAME
from library.core.tiers import ConsentScope, Tier
from library.models import ConsentForm, ConsentRecord
from tests.factories import make_consent, make_film
from tests.library.network import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        a, b = network.coord_a, network.coord_b
        today = timezone.localdate()
        network.films = {
            "missing": make_film(
                a, "Sans autorisation", Tier.INTERNAL, make_consent(a, ConsentScope.NONE, label="Aucune")
            ),
            "expiring": make_film(
                a,
                "Bientôt expiré",
                Tier.PUBLIC,
                make_consent(
                    a, ConsentScope.PUBLIC, expires_on=today + datetime.timedelta(days=20), label="Expire bientôt"
                ),
            ),
            "valid": make_film(a, "Tout va bien", Tier.PUBLIC, make_consent(a, ConsentScope.PUBLIC, label="Valide")),
            "late": make_film(
                a,
                "Expire plus tard",
                Tier.NETWORK,
                make_consent(
                    a, ConsentScope.NETWORK, expires_on=today + datetime.timedelta(days=200), label="Plus tard"
                ),
            ),
            "other": make_film(b, "Film de Bêta", Tier.INTERNAL, make_consent(b, ConsentScope.NONE, label="Bêta")),
        }
        draft = make_film(
            a,
            "Brouillon soumis",
            Tier.INTERNAL,
            make_consent(a, ConsentScope.INTERNAL, label="Brouillon"),
            live=False,
        )
        draft.get_workflow().start(draft, network.users["editor_a"])
        network.films["submitted"] = draft
    return network


def login(client, net, who):
    client.force_login(net.users[who])
    return client


def titles_in(response, net):
    body = response.content.decode()
    return {key for key, film in net.films.items() if film.title in body}


# --- Groups, permissions and workflow (library.access.network) -------------------------------


def test_regional_group_edits_its_subtree_without_publishing(net):
    codenames = set(
        GroupPagePermission.objects.filter(group=net.coord_a.editors_group).values_list(
            "page_id", "permission__codename"
        )
    )
    assert codenames == {(net.coord_a.pk, "add_page"), (net.coord_a.pk, "change_page"), (net.coord_a.pk, "lock_page")}


def test_national_workflow_covers_the_coordinations(net):
    assignment = WorkflowPage.objects.get(page=net.index)
    assert assignment.workflow.name == WORKFLOW_NAME
    assert net.films["submitted"].get_workflow().name == WORKFLOW_NAME


def test_regional_editor_edits_own_films_with_taxonomy_choosers(client, net):
    login(client, net, "editor_a")
    assert client.get(reverse("wagtailadmin_pages:edit", args=[net.films["valid"].pk])).status_code == 200
    # Another coordination's internal film is not found at all (library.admin.page_guard), not merely refused.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[net.films["other"].pk])).status_code == 404
    for model in ("genre", "theme", "audience", "actiontype"):
        assert client.get(reverse(f"wagtailsnippetchoosers_library_{model}:choose")).status_code == 200


def test_film_form_accepts_only_its_coordination_consents(net):
    from django.core.exceptions import ValidationError

    from library.models import FilmPage

    form_class = FilmPage.get_edit_handler().get_form_class()
    film = net.films["valid"]
    form = form_class(instance=film, for_user=net.users["national"])
    offered = set(form.fields["consent"].queryset.values_list("coordination_id", flat=True))
    assert offered == {net.coord_a.pk}
    with pytest.raises(ValidationError, match="coordination"):
        form.fields["consent"].clean(net.films["other"].consent_id)
    assert form.fields["consent"].clean(net.films["missing"].consent_id) == net.films["missing"].consent

    new = form_class(instance=FilmPage(), for_user=net.users["editor_b"], parent_page=net.coord_b)
    assert set(new.fields["consent"].queryset.values_list("coordination_id", flat=True)) == {net.coord_b.pk}


# --- Film and guide listings ------------------------------------------------------------


def test_film_listing_in_french_shows_only_own_coordination(client, net):
    response = login(client, net, "editor_a").get(reverse("films:index"))
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    assert titles_in(response, net) == {"missing", "expiring", "valid", "late", "submitted"}


def test_editor_b_does_not_see_a_films(client, net):
    response = login(client, net, "editor_b").get(reverse("films:index"))
    assert response.status_code == 200
    assert titles_in(response, net) == {"other"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"consent_status": "missing"}, {"missing", "other"}),
        ({"consent_status": "expiring"}, {"expiring"}),
        ({"consent_status": "valid"}, {"expiring", "valid", "late", "submitted"}),
        ({"effective_tier": "public"}, {"expiring", "valid"}),
        ({"effective_tier": ["network", "internal"]}, {"late", "missing", "other", "submitted"}),
        ({"processing_state": "none"}, {"missing", "expiring", "valid", "late", "other", "submitted"}),
        ({"processing_state": "ready"}, set()),
    ],
)
def test_film_listing_filters(client, net, query, expected):
    response = login(client, net, "national").get(reverse("films:index"), query)
    assert response.status_code == 200
    assert titles_in(response, net) == expected


def test_film_listing_filter_by_coordination(client, net):
    response = login(client, net, "national").get(reverse("films:index"), {"coordination": [net.coord_b.pk]})
    assert titles_in(response, net) == {"other"}


def test_film_listing_columns_cost_one_query_per_relation(client, net):
    """Coordination, consent and video columns are prefetched, not fetched row by row.

    (Wagtail's own row buttons still cost queries per row for some users: the
    "Translate" button of wagtail-localize, the live-descendants check of
    "Delete"; those are Wagtail's, not these columns'.)
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, net, "national")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("films:index"))
    assert titles_in(response, net) == {"missing", "expiring", "valid", "late", "other", "submitted"}
    selects = [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"]]
    from_table = {
        table: sum(1 for sql in selects if f'FROM "{table}"' in sql)
        for table in ("library_consentrecord", "library_video", "library_coordinationpage")
    }
    assert from_table["library_consentrecord"] == 1
    assert from_table["library_video"] == 0  # no film has a video: nothing to fetch
    # The filter's choices (French coordinations), the column, the add button's coordinations: not per row.
    assert from_table["library_coordinationpage"] <= 3


def test_guide_listing_renders_for_editors(client, net):
    response = login(client, net, "editor_a").get(reverse("guides:index"), {"effective_tier": "public"})
    assert response.status_code == 200
    assert "Niveau d’accès effectif" in response.content.decode()


# --- Consent register -------------------------------------------------------------------


def consent_url(action, record=None):
    name = f"wagtailsnippets_library_consentrecord:{action}"
    return reverse(name, args=[record.pk]) if record else reverse(name)


def test_consent_register_is_scoped_to_the_editor(client, net):
    response = login(client, net, "editor_a").get(consent_url("list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Expire bientôt" in body
    assert "Bêta" not in body.split('id="listing-results"')[1]


def test_other_coordination_record_by_id_is_not_found(client, net):
    other = net.films["other"].consent
    login(client, net, "editor_a")
    assert client.get(consent_url("edit", other)).status_code == 404
    assert client.get(consent_url("delete", other)).status_code in (403, 404)
    assert client.get(consent_url("edit", net.films["missing"].consent)).status_code == 200


def test_consent_chooser_offers_own_coordination_only(client, net):
    login(client, net, "editor_a")
    body = client.get(reverse("wagtailsnippetchoosers_library_consentrecord:choose")).json()["html"]
    assert "Expire bientôt" in body
    assert "Bêta" not in body
    other = net.films["other"].consent
    chosen = reverse("wagtailsnippetchoosers_library_consentrecord:chosen", args=[other.pk])
    assert client.get(chosen).status_code == 404
    own = reverse("wagtailsnippetchoosers_library_consentrecord:chosen", args=[net.films["valid"].consent.pk])
    assert client.get(own).status_code == 200


def test_national_editor_sees_every_record_and_filters_by_status(client, net):
    login(client, net, "national")
    body = client.get(consent_url("list"), {"status": "expiring"}).content.decode()
    assert "Expire bientôt" in body
    assert "Plus tard" not in body
    assert "Bêta" in client.get(consent_url("list"), {"coordination": net.coord_b.pk}).content.decode()


def test_editor_cannot_file_a_record_under_another_coordination(client, net):
    login(client, net, "editor_a")
    form_data = {
        "label": "Nouvelle autorisation",
        "coordination": net.coord_b.pk,
        "scope": "public",
        "granted_on": "2024-01-10",
        "forms-TOTAL_FORMS": "0",
        "forms-INITIAL_FORMS": "0",
        "forms-MIN_NUM_FORMS": "0",
        "forms-MAX_NUM_FORMS": "1000",
    }
    response = client.post(consent_url("add"), form_data)
    assert response.status_code == 200
    assert not ConsentRecord.objects.filter(label="Nouvelle autorisation").exists()
    form_data["coordination"] = net.coord_a.pk
    response = client.post(consent_url("add"), form_data)
    assert response.status_code == 302
    assert ConsentRecord.objects.get(label="Nouvelle autorisation").coordination_id == net.coord_a.pk


def test_scanned_form_is_named_and_never_linked_by_its_storage_key(client, net):
    record = net.films["valid"].consent
    scan = ConsentForm(record=record, file=ContentFile(b"%PDF-1.4 scan", name="autorisation-famille-dupont.pdf"))
    scan.save()
    body = login(client, net, "editor_a").get(consent_url("edit", record)).content.decode()
    assert "autorisation-famille-dupont.pdf" in body
    assert scan.file.name not in body  # the storage key (and so any URL to it) never reaches the page
    assert "X-Amz-Signature" not in body


# --- Dashboard ------------------------------------------------------------------------


def test_dashboard_panel_of_a_regional_editor(client, net):
    response = login(client, net, "editor_a").get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('id="library-coordination-')
    panel = body[start : body.index("</section>", start)]
    assert "Sans autorisation" in panel  # awaiting consent
    assert "Expire bientôt" in panel  # expiring within 60 days
    assert "Plus tard" not in panel  # expires in 200 days
    assert "Brouillon soumis" in panel  # awaiting national approval
    assert "Film de Bêta" not in body


def test_dashboard_summary_for_national_editors(client, net):
    body = login(client, net, "national").get(reverse("wagtailadmin_home")).content.decode()
    start = body.index('id="library-coordinations-section"')
    panel = body[start : body.index("</table>", start)]
    rows = {
        # The expiring count links to the register filtered on it: its number is the link's text.
        row.split("</a>")[0].rsplit(">", 1)[1]: [
            cell.split("</td>")[0].split("</a>")[0].rsplit(">", 1)[-1] for cell in row.split("<td>")[2:]
        ]
        for row in panel.split("<tr>")[2:]
    }
    assert rows[net.coord_a.title] == ["1", "1", "1"]
    assert rows[net.coord_b.title] == ["1", "0", "0"]


def test_partners_get_no_panel(client, net):
    assert (
        "library-coordination"
        not in login(client, net, "partner_session").get(reverse("wagtailadmin_home")).content.decode()
    )


def _record_with_scan(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "label": f"Autorisation {name}",
        "coordination": "",
        "scope": "public",
        "granted_on": "2024-01-10",
        "forms-TOTAL_FORMS": "1",
        "forms-INITIAL_FORMS": "0",
        "forms-MIN_NUM_FORMS": "0",
        "forms-MAX_NUM_FORMS": "1000",
        "forms-0-id": "",
        "forms-0-ORDER": "1",
        "forms-0-file": SimpleUploadedFile(name, content),
    }


def test_a_scan_must_be_a_pdf_or_an_image_by_content(client, net, s3_server):
    login(client, net, "editor_a")
    stored_before = s3_server.list_keys("private/consent-forms/")
    data = _record_with_scan("autorisation.pdf", b"<html><script>alert(1)</script></html>")
    data["coordination"] = net.coord_a.pk
    response = client.post(consent_url("add"), data)
    assert response.status_code == 200
    assert "PDF, JPEG ou PNG" in response.content.decode()
    assert not ConsentRecord.objects.filter(label="Autorisation autorisation.pdf").exists()
    assert s3_server.list_keys("private/consent-forms/") == stored_before, "nothing stored for a refused scan"

    data = _record_with_scan("scan.pdf", b"%PDF-1.4\n% scanned form\n")
    data["coordination"] = net.coord_a.pk
    assert client.post(consent_url("add"), data).status_code == 302
    assert ConsentRecord.objects.get(label="Autorisation scan.pdf").forms.count() == 1


def test_a_scan_over_the_size_limit_is_refused(client, net, settings):
    settings.LIBRARY_MAX_UPLOAD_SIZE = {**settings.LIBRARY_MAX_UPLOAD_SIZE, "consent": 64}
    login(client, net, "editor_a")
    data = _record_with_scan("gros.pdf", b"%PDF-1.4\n" + b"0" * 200)
    data["coordination"] = net.coord_a.pk
    response = client.post(consent_url("add"), data)
    assert response.status_code == 200
    assert not ConsentRecord.objects.filter(label="Autorisation gros.pdf").exists()
