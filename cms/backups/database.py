"""Dump and restore the database: `pg_dump`/`pg_restore` for PostgreSQL, the sqlite3 backup API for SQLite.

The connection comes from the settings Django uses (`connection.settings_dict`), so the commands act on the
database the site runs on, and, under the test runner, on its test database only. For PostgreSQL every
connection setting goes through libpq's environment variables: the password (PGPASSWORD) never appears on
a command line, where any user of the machine could read it in the process list. `--no-password` makes the
tools fail rather than wait for a password typed at a terminal nobody watches (cron).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError

POSTGRESQL_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
#: libpq options of `DATABASES[...]["OPTIONS"]` passed on, by environment variable. The `options` string
#: (DATABASE_STATEMENT_TIMEOUT) is left out on purpose: a dump may run longer than any web request.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
#: Characters of the tools' error output kept in the command's error.
_ERROR_TAIL = 3000


def engine(settings_dict):
    name = settings_dict["ENGINE"]
    if name == "django.db.backends.postgresql":
        return "postgresql"
    if name == "django.db.backends.sqlite3":
        return "sqlite"
    raise CommandError(f"Backups support PostgreSQL and SQLite, not {name}.")


def dump(settings_dict, directory):
    """Write the database into `directory`; returns the file's name and what it was made with."""
    if engine(settings_dict) == "postgresql":
        path = Path(directory) / POSTGRESQL_FILE
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-password", f"--file={path}"],
            settings_dict,
        )
        return {"engine": "postgresql", "file": POSTGRESQL_FILE, "tool": _version("pg_dump")}
    source = _sqlite_file(settings_dict)
    path = Path(directory) / SQLITE_FILE
    _sqlite_copy(source, path)
    return {"engine": "sqlite", "file": SQLITE_FILE, "tool": f"sqlite {sqlite3.sqlite_version}"}


def restore(settings_dict, path, backed_up_engine):
    """Replace the database's content with the dump at `path`.

    PostgreSQL: `--clean --if-exists` drops each object of the dump before recreating it, `--no-owner`
    gives them to the connecting user, and `--single-transaction` makes it all or nothing: a restore that
    fails leaves the database as it was. The caller closes Django's connections first, so none of them
    holds a lock the drops would wait for.
    """
    current = engine(settings_dict)
    if current != backed_up_engine:
        raise CommandError(f"This backup holds a {backed_up_engine} database; the site runs on {current}.")
    if current == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--no-password",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            settings_dict,
        )
    else:
        _sqlite_copy(path, _sqlite_file(settings_dict))


def describe(settings_dict):
    """The database a command acts on, for its output: never the password."""
    if engine(settings_dict) == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "local socket"
    port = settings_dict.get("PORT") or 5432
    return f"PostgreSQL {settings_dict['NAME']} on {host}:{port}"


def _environment(settings_dict):
    environment = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values.update({variable: options.get(option) for option, variable in _LIBPQ_OPTIONS.items()})
    for variable, value in values.items():
        if value not in (None, ""):
            environment[variable] = str(value)
        else:
            environment.pop(variable, None)
    return environment


def _run(arguments, settings_dict):
    result = subprocess.run(arguments, env=_environment(settings_dict), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()[-_ERROR_TAIL:]
        raise CommandError(f"{Path(arguments[0]).name} failed (exit status {result.returncode}):\n{output}")


def _tool(name):
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install the PostgreSQL client tools of the server's major version.")
    return found


def _version(name):
    result = subprocess.run([_tool(name), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return result.stdout.strip()


def _sqlite_file(settings_dict):
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"The SQLite database {name} is in memory: there is no file to back up or restore.")
    return Path(name)


def _sqlite_copy(source, target):
    """Copy one SQLite database into another with SQLite's online backup API (consistent while in use)."""
    source_connection = sqlite3.connect(source)
    try:
        target_connection = sqlite3.connect(target)
        try:
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
    finally:
        source_connection.close()
