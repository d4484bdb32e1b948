"""The OpenAPI document is a contract: it must equal the committed one, `docs/openapi.json`.

The test only compares. After a deliberate change, regenerate the document
with `make openapi` and review its diff.
"""

import json

import pytest

from cms.management.commands.export_openapi import DEFAULT_OUTPUT as SNAPSHOT
from cms.management.commands.export_openapi import dump, openapi_document

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
