"""The API tests' catalogue, built once per module inside a transaction rolled back at the end."""

import pytest

from django.core.cache import cache
from django.db import transaction
from django.test import TestCase

from tests.api.catalogue import build_catalogue


def module_catalogue(extra_films=0):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                cache.clear()
                # The module transaction never commits: run what waits for a commit
                # (the lists' read model of pages saved without publishing) here.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    catalogue = build_catalogue(extra_films=extra_films)
                yield catalogue
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                cache.clear()

    return fixture


@pytest.fixture
def bearer():
    def header(token):
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return header
