"""Write the API's OpenAPI document, the contract its clients are typed from, to a file.

`make openapi` runs it after a deliberate change to the API; the contract
test (`tests/cms/test_openapi.py`) then only compares the live document
with the committed one, and never writes it.
"""

import json
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

from django.core.management.base import BaseCommand

from cms.api import api

#: The committed contract: the front-end's types and the contract test read it.
DEFAULT_OUTPUT = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def openapi_document():
    """The document `/api/v3/openapi.json` answers, as plain JSON values (lazy translations rendered)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_params={}), cls=NinjaJSONEncoder))


def dump(document):
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v3/ to docs/openapi.json (or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args, output, **options):
        output.write_text(dump(openapi_document()))
        self.stdout.write(f"Wrote {output}")
