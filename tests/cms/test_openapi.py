"""The OpenAPI document is a contract: it must equal the committed one, `docs/openapi.json`.

The test only compares. After a deliberate change, regenerate the document
with `make openapi` and review its diff.
"""

import json
import re
from types import SimpleNamespace

import pytest
from openapi_spec_validator import validate

from django.core.exceptions import ImproperlyConfigured

from cms.management.commands.export_openapi import DEFAULT_OUTPUT as SNAPSHOT
from cms.management.commands.export_openapi import dump, openapi_document
from cms.openapi import name_operations, wagtail_operation_id

LIBRARY_PATHS = (
    "/api/v3/films/",
    "/api/v3/films/{film_id}/",
    "/api/v3/films/{film_id}/stream/",
    "/api/v3/films/{film_id}/download/",
    "/api/v3/films/{film_id}/screening-pack/",
    "/api/v3/guides/",
    "/api/v3/guides/{guide_id}/",
    "/api/v3/guides/{guide_id}/download/",
    "/api/v3/coordinations/",
    "/api/v3/taxonomy/{kind}/",
    "/api/v3/preview/films/",
    "/api/v3/preview/guides/",
    "/api/v3/preview/pages/",
)


def current_document(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_matches_the_snapshot(client):
    document = current_document(client)
    snapshot = json.loads(SNAPSHOT.read_text())
    changed = sorted(set(document["paths"]) ^ set(snapshot["paths"]))
    assert document == snapshot, (
        f"The API contract changed (paths added or removed: {changed or 'none'}). If this is deliberate, run "
        "`make openapi` and commit docs/openapi.json."
    )


def test_the_export_command_writes_the_served_document(client):
    """`make openapi` writes exactly what `/api/v3/openapi.json` serves, in the committed file's form."""
    assert dump(openapi_document()) == dump(current_document(client))


@pytest.mark.parametrize("path", LIBRARY_PATHS)
def test_every_library_endpoint_is_typed(client, path):
    operation = current_document(client)["paths"][path]["get"]
    ok = operation["responses"].get("200") or operation["responses"].get("302")
    assert ok is not None
    for status in ("404", "422"):
        if status in operation["responses"]:
            assert operation["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"].endswith(
                "/ProblemDetail"
            )
    if "200" in operation["responses"] and "content" in operation["responses"]["200"]:
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema or "oneOf" in schema


# --- A document other tools can use: a strict validator, names for operations ---------------

#: Operation ids the front-end and generated clients name their calls after.
NAMED_OPERATIONS = {
    ("get", "/api/v3/films/"): "listFilms",
    ("get", "/api/v3/films/{film_id}/"): "getFilm",
    ("get", "/api/v3/films/{film_id}/download/"): "downloadFilm",
    ("get", "/api/v3/films/{film_id}/screening-pack/"): "getScreeningPack",
    ("get", "/api/v3/films/{film_id}/stream/"): "streamFilm",
    ("get", "/api/v3/guides/"): "listGuides",
    ("get", "/api/v3/guides/{guide_id}/"): "getGuide",
    ("get", "/api/v3/guides/{guide_id}/download/"): "downloadGuide",
    ("get", "/api/v3/coordinations/"): "listCoordinations",
    ("get", "/api/v3/taxonomy/{kind}/"): "listTerms",
    ("get", "/api/v3/search/"): "search",
    ("get", "/api/v3/search/suggest/"): "suggest",
    ("get", "/api/v3/preview/films/"): "previewFilm",
    ("get", "/api/v3/preview/guides/"): "previewGuide",
    ("get", "/api/v3/preview/pages/"): "previewPage",
    ("get", "/api/v3/whoami/"): "whoami",
    ("get", "/api/v3/pages/"): "listPages",
    ("get", "/api/v3/pages/{page_id}/"): "getPage",
    ("get", "/api/v3/pages/find/"): "findPage",
    ("post", "/api/v3/pages/"): "createPage",
    ("patch", "/api/v3/pages/{page_id}/"): "updatePage",
    ("delete", "/api/v3/pages/{page_id}/"): "deletePage",
    ("get", "/api/v3/pages/{page_id}/revisions/"): "listPageRevisions",
    ("get", "/api/v3/pages/{page_id}/revisions/{revision_id}/"): "getPageRevision",
    ("post", "/api/v3/pages/{page_id}/actions/publish/"): "publishPage",
    ("post", "/api/v3/pages/{page_id}/actions/copy_for_translation/"): "copyPageForTranslation",
    ("get", "/api/v3/schema/"): "listSchemas",
    ("get", "/api/v3/sites/{site_id}/"): "getSite",
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def operations(document):
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_the_served_document_passes_a_strict_validator(client):
    validate(current_document(client))


def test_the_committed_snapshot_passes_a_strict_validator():
    validate(json.loads(SNAPSHOT.read_text()))


def test_anonymous_access_is_the_empty_security_requirement(client):
    """Wagtail's AllowAnonymous was a scheme `{"type": "http"}` with no `scheme`; it is now `{}`."""
    document = current_document(client)
    assert "AllowAnonymous" not in document["components"]["securitySchemes"]
    for method, path, operation in operations(document):
        for requirement in operation.get("security", []):
            assert set(requirement) <= set(document["components"]["securitySchemes"]), (method, path)
    assert {} in document["paths"]["/api/v3/pages/"]["get"]["security"]
    assert {} in document["paths"]["/api/v3/films/"]["get"]["security"]
    assert {} not in document["paths"]["/api/v3/pages/"]["post"]["security"]


def test_every_operation_id_reads_as_a_name_and_is_unique(client):
    ids = [operation["operationId"] for _method, _path, operation in operations(current_document(client))]
    assert [operation_id for operation_id in ids if not re.fullmatch(r"[a-z]+[A-Za-z]*", operation_id)] == []
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize(("method", "path"), sorted(NAMED_OPERATIONS))
def test_operations_are_named_as_clients_call_them(client, method, path):
    assert current_document(client)["paths"][path][method]["operationId"] == NAMED_OPERATIONS[(method, path)]


@pytest.mark.parametrize(
    ("wagtail", "readable"),
    [
        ("pages_list", "listPages"),
        ("pages_detail", "getPage"),
        ("pages_find", "findPage"),
        ("pages_revisions_list", "listPageRevisions"),
        ("pages_actions_convert_alias", "convertPageAlias"),
        ("pages_actions_delete", "deletePageByAction"),
        ("sites_update", "updateSite"),
        ("whoami", "whoami"),
        ("images_crop", "imagesCrop"),  # an id of no known form still reads as a name
    ],
)
def test_wagtail_operation_ids_become_verb_and_noun(wagtail, readable):
    assert wagtail_operation_id(wagtail) == readable


def test_two_operations_with_one_id_stop_the_start():
    def list_films(request):
        pass

    def other(request):
        pass

    twins = [SimpleNamespace(operation_id="listFilms", view_func=view) for view in (list_films, other)]
    with pytest.raises(ImproperlyConfigured, match="listFilms"):
        name_operations(None, twins)
