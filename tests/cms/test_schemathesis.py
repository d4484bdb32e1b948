"""Schemathesis over the library endpoints of the OpenAPI document, with all its checks.

Every GET operation of the library (films, guides, coordinations, taxonomy,
streams, downloads, screening packs, preview) is called with generated valid
and invalid input, anonymously and with a partner's token, in process
(WSGI) on the test database: no 5xx, no answer outside its schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
LIBRARY = r"^/api/v3/(films|guides|coordinations|taxonomy|preview)/"


# Loaded at collection (Django is set up by then); the calls run inside each test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application()).include(path_regex=LIBRARY)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: a request must not close the connection holding the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_anonymous_calls_conform(case, catalogue):
    case.call_and_validate()


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_partner_calls_conform(case, catalogue):
    case.call_and_validate(headers={"Authorization": f"Bearer {catalogue.tokens['partner']}"})
