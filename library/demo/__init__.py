"""Demo content of the library, run by `manage.py load_demo_content` after the home pages.

Each step takes the command's stdout and is idempotent: it looks every object
up by a natural key (a name, a slug, a username) before creating it, so a
second run changes nothing. Steps run in order: taxonomy before films (films
point at translated terms), coordinations before the groups that hold
permissions on them.
"""

from library.access.network import setup_network
from library.demo.accounts import build_accounts
from library.demo.catalogue import build_catalogue
from library.demo.coordinations import build_coordinations, demo_coordinations
from library.demo.guide_documents import build_guide_documents
from library.demo.partners import build_partners
from library.demo.taxonomy import seed_taxonomy
from library.demo.videos import build_videos


def build_network(stdout):
    index, coordinations = demo_coordinations()
    setup_network(index, coordinations)
    stdout.write(f"Network: {len(coordinations)} coordination groups, national group, workflow.")


STEPS = [
    seed_taxonomy,
    build_coordinations,
    build_network,
    build_accounts,
    build_catalogue,
    build_partners,
    build_videos,
    build_guide_documents,
]
