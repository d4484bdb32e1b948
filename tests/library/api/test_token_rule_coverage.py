"""No route of the project takes a bearer token through Wagtail's bare `BearerTokenAuth`.

Wagtail's v3 routers give each operation a `BearerTokenAuth()` that knows no
expiry, organisation or rate limit; `library.api.auth.apply_token_rule`
swaps it on every operation of the API object. These tests walk what the URL
resolver actually runs (every Ninja view mounted anywhere, so a router added
later, or a second API object, is caught), not a list of routes, and check
that the start-up walk sees the same operations and fails loudly if Ninja's
internals it reads change.
"""

from types import SimpleNamespace

import pytest
from ninja.operation import PathView

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLResolver, get_resolver

from wagtail.api.v3.auth import BearerTokenAuth

from cms.api import api
from library.api.auth import PARTNER_BEARER, apply_token_rule, bound_operations, reads_bare_bearer_token


def _views(patterns=None, route=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, route + str(pattern.pattern))
        else:
            yield route + str(pattern.pattern), pattern.callback


def _path_view(callback):
    """The Ninja `PathView` a URL runs (its view is a closure over it), or None for any other view."""
    cells = [cell.cell_contents for cell in getattr(callback, "__closure__", None) or ()]
    views = [cell for cell in cells if isinstance(cell, PathView)]
    return views[0] if views else None


def _resolved_path_views():
    found = {}
    for route, callback in _views():
        module = getattr(callback, "__module__", "") or ""
        path_view = _path_view(callback)
        if module.startswith("ninja.operation"):
            assert path_view is not None, f"{route}: a Ninja view whose operations cannot be read"
        if path_view is not None:
            found[route] = path_view
    return found


def test_no_url_runs_wagtails_bare_bearer_auth():
    resolved = _resolved_path_views()
    assert any(route.startswith("api/v3/pages/") for route in resolved), "Wagtail's v3 routers are walked"
    assert any(route.startswith("api/v3/films/") for route in resolved), "the project's routers are walked"
    left = {
        f"{operation.methods} {route}"
        for route, path_view in resolved.items()
        for operation in path_view.operations
        if reads_bare_bearer_token(operation)
    }
    assert not left, f"routes still on Wagtail's BearerTokenAuth: {sorted(left)}"


def test_every_token_route_reads_the_project_rule():
    """Operations that read a bearer token read it through the one `PartnerBearerAuth`."""
    readers = [
        operation
        for path_view in _resolved_path_views().values()
        for operation in path_view.operations
        if any(isinstance(callback, BearerTokenAuth) for callback in operation.auth_callbacks)
    ]
    assert readers
    assert all(PARTNER_BEARER in operation.auth_callbacks for operation in readers)


def test_the_start_up_walk_sees_every_operation_the_urls_run():
    resolved = {id(operation) for view in _resolved_path_views().values() for operation in view.operations}
    walked = {id(operation) for operation in bound_operations(api)}
    assert resolved <= walked


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param(SimpleNamespace(), id="no-bound-routers"),
        pytest.param(SimpleNamespace(_get_bound_routers=lambda: []), id="no-operation"),
        pytest.param(
            SimpleNamespace(_get_bound_routers=lambda: [SimpleNamespace(operations=[])]), id="no-path-operations"
        ),
        pytest.param(
            SimpleNamespace(
                _get_bound_routers=lambda: [
                    SimpleNamespace(path_operations={"/": SimpleNamespace(operations=[SimpleNamespace(auth=[])])})
                ]
            ),
            id="auth-renamed",
        ),
    ],
)
def test_the_token_rule_refuses_to_start_if_ninja_internals_change(changed):
    """A Ninja upgrade that renames what the walk reads stops start-up, rather than leave routes unguarded."""
    with pytest.raises(ImproperlyConfigured):
        apply_token_rule(changed)
