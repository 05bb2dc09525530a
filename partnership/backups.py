"""Backups of the PostgreSQL database and the uploaded/generated files, and restoring them.

A backup is a folder backups/<UTC timestamp>/ holding:
- database.dump: `pg_dump --format=custom` of the portal's database (one consistent snapshot);
- media.tar.gz: everything under MEDIA_ROOT (stored invoice and report PDFs, uploads);
- manifest.json: when, which database, the pg_dump version, the last migration of each app,
  the rows in every table, and each file's size and SHA-256;
- SHA256SUMS: the same checksums, for `sha256sum -c SHA256SUMS` without Python.

Restoring checks the checksums first, restores into a database named by the person (never
the live one unless told), refuses one that already holds tables unless told to replace it,
and then compares every table's rows with the manifest. The real pg_dump and pg_restore on
the machine do the work; their major version must match the server's.
"""

import datetime
import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

DUMP, MEDIA, MANIFEST, SUMS = "database.dump", "media.tar.gz", "manifest.json", "SHA256SUMS"


class BackupError(Exception):
    """A backup or restore that must stop, with the reason for the person running it."""


def _database():
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise BackupError(
            "Backups are made of a PostgreSQL database: set DATABASE_URL to one "
            "(this portal is running on SQLite)"
        )
    return db


def _pg_env(db, name=None) -> dict:
    """pg_dump, pg_restore and psql read the server and credentials from the environment, so
    the password never appears in a process list."""
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "127.0.0.1"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or ""),
        PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=name or db["NAME"],
    )
    return env


def _run(command, env):
    try:
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed on this machine") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _table_rows(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    rows = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        rows[table] = cursor.fetchone()[0]
    return rows


def _last_migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def make_backup(to: Path, now: datetime.datetime | None = None) -> Path:
    """Back up the database and MEDIA_ROOT into a new folder under `to`; return the folder."""
    db = _database()
    now = now or datetime.datetime.now(datetime.UTC)
    folder = Path(to) / now.strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True, exist_ok=False)
    env = _pg_env(db)
    _run(["pg_dump", "--format=custom", "--file", str(folder / DUMP)], env)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as tar:
        if media.is_dir():
            tar.add(media, arcname=".")
    # Counted after the dump: a row written in between shows as a difference on restore,
    # which is what the drill should report (take backups when no run is going).
    with connection.cursor() as cursor:
        rows = _table_rows(cursor)
        migrations = _last_migrations(cursor)
    files = {
        name: {"bytes": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
        for name in (DUMP, MEDIA)
    }
    manifest = {
        "created_at": now.isoformat(),
        "database": db["NAME"],
        "pg_dump": _run(["pg_dump", "--version"], env).stdout.strip(),
        "media_root": str(media),
        "last_migrations": migrations,
        "table_rows": rows,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    (folder / SUMS).write_text(
        "".join(f"{files[name]['sha256']}  {name}\n" for name in (DUMP, MEDIA))
    )
    return folder


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, once every file matches its checksum."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}")
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from {folder}")
        if sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


@dataclass(frozen=True)
class Restored:
    database: str
    media_root: Path | None
    differences: dict[str, tuple[int, int]]  # table: (rows in the manifest, rows restored)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _connect(db, name):
    """A psycopg2 connection to database `name` on the portal's server, as its user."""
    import psycopg2

    return psycopg2.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=name,
    )


def _holds_tables(db, name) -> bool | None:
    """None when the database does not exist; otherwise whether it has any table."""
    import psycopg2

    try:
        target = _connect(db, name)
    except psycopg2.OperationalError as exc:
        if "does not exist" in str(exc):
            return None
        raise BackupError(f"cannot reach the database {name}: {exc}") from exc
    try:
        with target.cursor() as cursor:
            cursor.execute("SELECT exists (SELECT FROM pg_tables WHERE schemaname = 'public')")
            return cursor.fetchone()[0]
    finally:
        target.close()


def restore(
    folder: Path,
    *,
    database: str,
    media_root: Path | None = None,
    replace: bool = False,
    owner: str | None = None,
) -> Restored:
    """Restore a backup into `database` (made if missing) and its files into `media_root`.

    A database or folder that already holds something is refused unless `replace`; then it
    is dropped (or emptied) first. Objects are owned by `owner` when given (the migration
    role), else by the user restoring; privileges are not restored (grant them afresh with
    deploy/postgres/grants.psql). Returns the tables whose rows differ from the manifest.
    """
    db = _database()
    if not database:
        raise BackupError("Name the database to restore into (RESTORE_DATABASE)")
    manifest = read_manifest(folder)
    held = _holds_tables(db, database)
    if held and not replace:
        raise BackupError(
            f"The database {database} already holds tables: restore into a new name, "
            "or replace it on purpose (REPLACE=1, --replace)"
        )
    media_root = Path(media_root) if media_root else None
    if media_root and media_root.is_dir() and any(media_root.iterdir()) and not replace:
        raise BackupError(
            f"{media_root} already holds files: restore them elsewhere, or replace them on "
            "purpose (REPLACE=1, --replace)"
        )
    connection.close()  # nothing of ours may hold the database being replaced
    server = _connect(db, "postgres")
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            if held is not None:
                cursor.execute(f"DROP DATABASE {_quote(database)} WITH (FORCE)")
            owned = f" OWNER {_quote(owner)}" if owner else ""
            cursor.execute(f"CREATE DATABASE {_quote(database)}{owned}")
    finally:
        server.close()
    command = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--dbname", database]
    if owner:
        command += ["--role", owner]
    _run([*command, str(Path(folder) / DUMP)], _pg_env(db, database))
    if media_root:
        if replace and media_root.is_dir():
            for path in sorted(media_root.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(Path(folder) / MEDIA, "r:gz") as tar:
            tar.extractall(media_root, filter="data")  # refuses paths outside media_root
    restored = _connect(db, database)
    try:
        with restored.cursor() as cursor:
            rows = _table_rows(cursor)
    finally:
        restored.close()
    expected = manifest["table_rows"]
    differences = {
        table: (expected.get(table, 0), rows.get(table, 0))
        for table in sorted(set(expected) | set(rows))
        if expected.get(table, 0) != rows.get(table, 0)
    }
    return Restored(database=database, media_root=media_root, differences=differences)
