"""Demo content built once per module, shared by its tests."""

import pytest

from django.core.management import call_command


@pytest.fixture(scope="module")
def demo_content(module_db):
    """The demo site (French and English), loaded once for the module and rolled back after it."""
    with module_db.build():
        call_command("load_demo_content", verbosity=0)
