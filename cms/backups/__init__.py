"""Backups of the database and of every storage's files, and their restore (`manage.py backup` / `restore`).

A backup is a directory:

- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (the embedded default);
- `files/<alias>/<name>`: every file of each storage in `STORAGES` but `staticfiles`, by its storage name;
- `manifest.json`, written last: the database file and every file with its size and sha256. A directory
  without it is a backup that did not finish, and `restore` refuses it.

Order at backup: the database first, then the files. Files are written under new names (`file_overwrite`
is off) before their row is saved, so every file a dumped row names is in the storage when the files are
copied a moment later; the reverse order would miss the files of rows written between the copy and the
dump. Files uploaded after the dump are copied too, and harmless: no row names them. A file deleted in
between (a rendition replaced, a consent scan purged) is skipped and reported (`references`).

Order at restore: every hash checked first (nothing is touched if one fails), then the files, then the
database, so that from the moment the restored rows are visible the files they name are in place; a restore
stopped during the files leaves the old database, whose files are all still there.
"""
