"""`concord backup` / `concord restore`: a round trip into a new database gives back every row of every
table (audit log included) and every attachment; damaged or foreign archives are refused whole."""
import io
import os
import tarfile

import pytest
from sqlalchemy import select, text

from conftest import USE_PG, _pg_admin_engine, _pg_url
from test_cli import run_cli  # noqa: F401  (fixture)
from core.app import create_app
from core.audit.attachments import add_attachment
from core.backup import BackupError, backup, restore
from core.db import db
from core.migrate import upgrade


def _snapshot() -> dict[str, list[tuple]]:
    out = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        out[table.name] = [tuple(r) for r in db.session.execute(select(table).order_by(*order))]
    return out


@pytest.fixture
def empty_app(tmp_path):
    """An app on a brand-new, empty database (SQLite file or PostgreSQL database)."""
    name = f"concord_restore_{os.getpid()}_{tmp_path.name[-12:]}".replace("-", "_").lower()
    if USE_PG:
        admin = _pg_admin_engine()
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = _pg_url(name)
    else:
        url = "sqlite:///" + str(tmp_path / "restored.db")
    instance = tmp_path / "restored-instance"
    instance.mkdir()
    new = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "t",
                      "TESTING": True})
    yield new
    with new.app_context():
        db.session.remove()
        db.engine.dispose()
    if USE_PG:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_round_trip_gives_back_every_row_and_file(app, empty_app, tmp_path):
    add_attachment("petition_case", 1, io.BytesIO("证据材料".encode()), filename="evidence.txt")
    db.session.commit()
    before = _snapshot()
    archive = str(tmp_path / "concord.tar.gz")
    manifest = backup(archive)
    assert manifest["tables"]["core_audit_log"] == len(before["core_audit_log"]) > 0
    assert manifest["attachments"] == 1
    assert oct(os.stat(archive).st_mode & 0o777) == "0o600"
    with empty_app.app_context():
        upgrade(empty_app)
        result = restore(archive)
        after = _snapshot()
        assert result["attachments_restored"] == 1
        stored = db.session.execute(text("SELECT stored_name FROM core_attachment")).scalar()
        with open(os.path.join(empty_app.instance_path, "attachments", stored), "rb") as fh:
            assert fh.read() == "证据材料".encode()
        if USE_PG:   # new rows continue after the restored ids
            nxt = db.session.execute(text("SELECT nextval(pg_get_serial_sequence('petition_case', 'id'))")).scalar()
            assert nxt > max(r[0] for r in before["petition_case"])
    assert set(after) == set(before)
    for name in before:
        assert after[name] == before[name], name


def test_restore_refuses_a_used_database(app, tmp_path):
    archive = str(tmp_path / "b.tar.gz")
    backup(archive)
    with pytest.raises(BackupError, match="audit log"):
        restore(archive)


def test_damaged_archive_is_refused_and_nothing_is_written(app, empty_app, tmp_path):
    archive = str(tmp_path / "b.tar.gz")
    backup(archive)
    damaged = str(tmp_path / "damaged.tar.gz")
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "tables/petition_case.jsonl":
                data = data.replace("工程款".encode(), "工程费".encode())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with empty_app.app_context():
        upgrade(empty_app)
        with pytest.raises(BackupError, match="damaged"):
            restore(damaged)
        assert db.session.execute(text("SELECT count(*) FROM petition_case")).scalar() == 0
        assert db.session.execute(text("SELECT count(*) FROM core_user")).scalar() == 0
        with pytest.raises(BackupError, match="not a Concord backup"):
            restore(__file__)


def test_cli_backup_and_one_line_errors(run_cli, tmp_path):
    archive = str(tmp_path / "cli.tar.gz")
    done = run_cli("backup", archive)
    assert done.returncode == 0, done.stderr
    assert "tables" in done.stdout and os.path.getsize(archive) > 0
    for args, needle in ((["restore", str(tmp_path / "nope.tar.gz")], "no such file"),
                         (["restore", archive], "audit log"),
                         (["backup", str(tmp_path / "no" / "dir.tar.gz")], "no such directory")):
        result = run_cli(*args)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 2 and len(lines) == 1 and needle in lines[0], result.stderr
