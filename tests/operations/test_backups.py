import io
import json
import os
import sqlite3
import tarfile
from contextlib import closing

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ankommen.accounts.models import User
from ankommen.operations.backups import BackupError, engines, read_manifest
from tests.factories import UserFactory

# The backup reads the database through a connection (or a program) of its own: rows must be
# committed to be seen.
pytestmark = pytest.mark.django_db(transaction=True)

OTHER_KEY = "hX1ZC4w5G2c6a9Qw8v2Cj3pW0lqkUq9FJcWmWmCwY4M="


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = settings.MEDIA_ROOT / "imports" / "liste.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("name;sprache\nAmina;ar\n")
    return settings.MEDIA_ROOT


@pytest.fixture
def target(tmp_path):
    """An empty database of the kind under test, to restore into."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'copy.sqlite3'}"
        return
    import psycopg

    name = f"ankommen_backup_test_{os.getpid()}"
    db = connection.settings_dict
    server = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def people():
    UserFactory.create_batch(3, role="volunteer")
    UserFactory(admin=True)  # with an authenticator app, its secret encrypted
    return User.objects.count()


def backup(tmp_path, *args):
    out = io.StringIO()
    call_command("backup", "--to", str(tmp_path / "backups"), *args, stdout=out)
    return next((tmp_path / "backups").glob("*.tar.gz")), out.getvalue()


def restore(archive, *args):
    out = io.StringIO()
    call_command("restore", str(archive), *args, stdout=out)
    return out.getvalue()


def rewrite_manifest(archive, change):
    """The same archive with its manifest changed, as a newer version might have written it."""
    with tarfile.open(archive) as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_backup_holds_database_files_and_a_manifest_but_no_keys(tmp_path, media, people):
    archive, output = backup(tmp_path)

    manifest = read_manifest(archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert manifest.database_kind == engines.database_kind(connection)
    assert manifest.row_counts["accounts_user"] == people
    assert manifest.row_counts["mfa_authenticator"] == 1
    assert "0001_create_volunteers" in manifest.migrations["volunteers"]
    assert manifest.media_files == 1
    assert sorted(names) == sorted(
        ["manifest.json", manifest.database_file, "media/imports/liste.csv"]
    )
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert not list((tmp_path / "backups").glob("*.keys.env"))
    assert "not in the archive" in output


def test_with_keys_writes_them_to_a_private_file_beside_the_archive(tmp_path, settings, people):
    _, output = backup(tmp_path, "--with-keys")

    keys = next((tmp_path / "backups").glob("*.keys.env"))
    assert oct(keys.stat().st_mode & 0o777) == "0o600"
    assert f"ANKOMMEN_MFA_KEYS='{settings.MFA_ENCRYPTION_KEYS[0]}'" in keys.read_text()
    assert "KEEP THIS FILE SECRET" in keys.read_text()
    assert "Store it apart from the archive" in output


def test_restore_into_a_new_database_gives_every_row_back(tmp_path, media, people, target):
    archive, _ = backup(tmp_path)
    copy_media = tmp_path / "copy-media"

    output = restore(archive, "--into-database", target, "--media-root", str(copy_media), "-v", "2")

    manifest = read_manifest(archive)
    _, restored = engines.inspect(engines.connection_for(target))
    assert restored == manifest.row_counts
    assert f"Row counts match the backup in all {len(restored)} tables" in output
    assert "accounts_user" in output  # the table by table report
    assert (copy_media / "imports" / "liste.csv").read_text() == "name;sprache\nAmina;ar\n"
    assert "cannot open" not in output


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, people, target):
    archive, _ = backup(tmp_path)
    restore(archive, "--into-database", target)

    with pytest.raises(CommandError, match=r"not empty .* run again with --yes"):
        restore(archive, "--into-database", target)

    assert "Row counts match" in restore(archive, "--into-database", target, "--yes")


def test_restore_refuses_uploaded_files_it_would_replace(tmp_path, media, people, target):
    archive, _ = backup(tmp_path)

    with pytest.raises(CommandError, match="uploaded files in"):
        restore(archive, "--into-database", target, "--media-root", str(media))

    restore(archive, "--into-database", target, "--media-root", str(media), "--yes")
    assert (media / "imports" / "liste.csv").exists()
    assert list(tmp_path.glob("media.before-restore-*"))


def test_restore_over_the_live_database_puts_deleted_rows_back(tmp_path, media, people):
    archive, _ = backup(tmp_path)
    User.objects.filter(role="volunteer").delete()

    output = restore(archive, "--yes")

    assert User.objects.count() == people
    assert "Row counts match" in output


def test_restore_warns_when_the_keys_cannot_open_second_factors(tmp_path, settings, people, target):
    archive, _ = backup(tmp_path)
    settings.MFA_ENCRYPTION_KEYS = [OTHER_KEY]

    output = restore(archive, "--into-database", target)

    assert "cannot open the second-factor secrets of 1 authenticators" in output


def test_restore_refuses_a_backup_from_newer_migrations(tmp_path, people, target):
    archive, _ = backup(tmp_path)
    rewrite_manifest(archive, lambda m: m["migrations"]["volunteers"].append("9999_future"))

    with pytest.raises(CommandError, match=r"newer version .*\(volunteers\.9999_future\)"):
        restore(archive, "--into-database", target)

    assert engines.user_tables(engines.connection_for(target)) == []


def test_restore_refuses_a_backup_of_the_other_database_kind(tmp_path, people, target):
    archive, _ = backup(tmp_path)
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    rewrite_manifest(archive, lambda m: m.update(database_kind=other))

    with pytest.raises(CommandError, match="Restore it into a"):
        restore(archive, "--into-database", target)


def test_restore_refuses_a_damaged_database_copy(tmp_path, people, target):
    archive, _ = backup(tmp_path)
    rewrite_manifest(archive, lambda m: m.update(database_sha256="0" * 64))

    with pytest.raises(CommandError, match="does not match its checksum"):
        restore(archive, "--into-database", target)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name;sprache\n", "is not a backup archive"),
        (None, "has no manifest.json"),
    ],
)
def test_restore_says_what_is_wrong_with_a_file_that_is_no_backup(tmp_path, content, message):
    wrong = tmp_path / "wrong.tar.gz"
    if content is None:
        with tarfile.open(wrong, "w:gz") as tar:
            tar.addfile(tarfile.TarInfo("something.txt"), io.BytesIO(b""))
    else:
        wrong.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        restore(wrong)


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        restore(tmp_path / "nowhere.tar.gz")


def test_a_missing_postgresql_client_names_the_package(monkeypatch):
    monkeypatch.setattr(engines.shutil, "which", lambda program: None)

    with pytest.raises(BackupError, match=r"pg_dump was not found.*postgresql-client-15"):
        engines._client("pg_dump", 15)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default")
def test_sqlite_copy_is_a_self_contained_file(tmp_path, people):
    archive, _ = backup(tmp_path)
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")

    with closing(sqlite3.connect(tmp_path / "database.sqlite3")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT count(*) FROM accounts_user").fetchone()[0] == people


@pytest.mark.postgres
def test_postgresql_restore_with_yes_drops_tables_of_a_newer_schema(tmp_path, people, target):
    """Going back after a failed upgrade: tables the backup does not know hold foreign keys
    to the tables being replaced, and must go in the same transaction."""
    import psycopg

    archive, _ = backup(tmp_path)
    restore(archive, "--into-database", target)
    with psycopg.connect(target, autocommit=True) as copy:
        copy.execute("CREATE TABLE from_newer (user_id bigint REFERENCES accounts_user (id))")
        copy.execute("INSERT INTO from_newer SELECT min(id) FROM accounts_user")
        copy.execute("DELETE FROM mfa_authenticator")

    output = restore(archive, "--into-database", target, "--yes")

    assert "Dropped 1 tables the backup does not have: from_newer" in output
    _, restored = engines.inspect(engines.connection_for(target))
    assert restored == read_manifest(archive).row_counts
