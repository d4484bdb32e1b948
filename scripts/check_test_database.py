"""Say in one line why the test suite cannot reach PostgreSQL, before pytest starts.

Without this, every database test fails with the same long connection error.
"""

import os
import sys

import psycopg

url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms")
server = url.rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(server, connect_timeout=5).close()
except psycopg.Error as error:
    reason = str(error).strip().splitlines()[0]
    sys.exit(f"make test needs PostgreSQL at {server} (DATABASE_URL): {reason}")
