"""Backup and restore of a whole Concord instance: every table (audit log included) and the attachment
files, in one portable archive that restores onto SQLite or PostgreSQL alike.

Archive (``.tar.gz``): ``manifest.json`` (format, migration heads, row counts, SHA-256 per member),
``tables/<table>.jsonl`` (one JSON row per line, in primary-key order) and ``attachments/<stored name>``.
A restore needs a database whose audit log is empty (a new one: the audit log is append-only) at the
same migration heads; it runs in one transaction, so a failed restore leaves nothing behind."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
import tempfile
from datetime import date, datetime, time
from decimal import Decimal

from flask import current_app
from sqlalchemy import Date, DateTime, LargeBinary, Numeric, Time, delete, func, insert, select, text, update

from core.db import db
from core import clock

FORMAT = "concord-backup/1"
AUDIT_TABLE = "core_audit_log"
CHUNK = 2000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why in one line."""


def _tables():
    return list(db.metadata.sorted_tables)


def _encode(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _decoder(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    if isinstance(kind, Numeric) and getattr(kind, "asdecimal", False):
        return Decimal
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    return None


def _attachment_root() -> str:
    return os.path.join(current_app.instance_path, "attachments")


def _heads() -> list[str]:
    from core.migrate import current_heads
    return sorted(current_heads())


# -- backup -------------------------------------------------------------------------------------------
def _dump_table(table, fh) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    names = [c.name for c in table.columns]
    count = 0
    result = db.session.execute(select(table).order_by(*order).execution_options(yield_per=CHUNK))
    for row in result:
        fh.write(json.dumps(dict(zip(names, (_encode(v) for v in row))), ensure_ascii=False))
        fh.write("\n")
        count += 1
    return count


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(path: str) -> dict:
    """Write the archive to *path* (atomically: a temporary file renamed at the end); the manifest."""
    manifest = {"format": FORMAT, "created_at": clock.now().isoformat(timespec="seconds"),
                "dialect": db.engine.dialect.name, "heads": _heads(), "tables": {}, "attachments": 0,
                "sha256": {}}
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise BackupError(f"no such directory: {directory}")
    with tempfile.TemporaryDirectory() as tmp:
        # one read transaction for every table: a consistent snapshot on PostgreSQL
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        members = []
        for table in _tables():
            member = f"tables/{table.name}.jsonl"
            local = os.path.join(tmp, f"{table.name}.jsonl")
            with open(local, "w", encoding="utf-8") as fh:
                manifest["tables"][table.name] = _dump_table(table, fh)
            manifest["sha256"][member] = _sha256(local)
            members.append((local, member))
        db.session.rollback()
        root = _attachment_root()
        for dirpath, _dirs, files in os.walk(root):
            for name in sorted(files):
                local = os.path.join(dirpath, name)
                member = "attachments/" + os.path.relpath(local, root).replace(os.sep, "/")
                manifest["sha256"][member] = _sha256(local)
                members.append((local, member))
                manifest["attachments"] += 1
        fd, partial = tempfile.mkstemp(prefix=".concord-backup-", dir=directory)
        os.close(fd)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(clock.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                for local, member in members:
                    tar.add(local, arcname=member, recursive=False)
            os.chmod(partial, 0o600)
            os.replace(partial, path)
        except BaseException:
            if os.path.exists(partial):
                os.unlink(partial)
            raise
    return manifest


# -- restore ------------------------------------------------------------------------------------------
def _open(path: str):
    if not os.path.isfile(path):
        raise BackupError(f"no such file: {path}")
    try:
        tar = tarfile.open(path, "r:gz")
        manifest = json.load(tar.extractfile("manifest.json"))
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"{path} is not a Concord backup ({exc.__class__.__name__})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    return tar, manifest


def _member_bytes(tar, name: str, manifest: dict) -> bytes:
    try:
        data = tar.extractfile(name).read()
    except (KeyError, AttributeError):
        raise BackupError(f"the backup lacks {name}") from None
    if hashlib.sha256(data).hexdigest() != manifest["sha256"].get(name):
        raise BackupError(f"{name} in the backup is damaged (checksum differs)")
    return data


def _deferred_columns(tables) -> dict[str, list[str]]:
    """Foreign keys to the same table or to a table restored later (cycles): inserted empty, set after."""
    position = {t.name: i for i, t in enumerate(tables)}
    out: dict[str, list[str]] = {}
    for t in tables:
        for fk in t.foreign_keys:
            if position.get(fk.column.table.name, -1) >= position[t.name]:
                out.setdefault(t.name, []).append(fk.parent.name)
    return out


def _reset_sequences(tables) -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for t in tables:
        pk = list(t.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement in (True, "auto") and pk[0].type.python_type is int:
            seq = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t.name, "c": pk[0].name})
            if seq:
                top = db.session.scalar(select(func.max(pk[0])))
                db.session.execute(text("SELECT setval(:s, :v, :called)"),
                                   {"s": seq, "v": top or 1, "called": top is not None})


def restore(path: str) -> dict:
    """Restore the archive at *path* into this (new) database; the manifest of what was restored."""
    tar, manifest = _open(path)
    with tar:
        if manifest["heads"] != _heads():
            raise BackupError("the backup was made at other migration heads "
                              f"({', '.join(manifest['heads'])}); restore it with the same Concord version, "
                              "then run `concord db upgrade`")
        tables = _tables()
        known = {t.name for t in tables}
        missing = set(manifest["tables"]) - known
        if missing:
            raise BackupError(f"the backup has tables this installation lacks: {', '.join(sorted(missing))}")
        audit = db.metadata.tables.get(AUDIT_TABLE)
        if audit is not None and db.session.scalar(select(func.count()).select_from(audit)):
            raise BackupError("restore needs a new database: this one's audit log already has entries "
                              "(the audit log is append-only)")
        deferred = _deferred_columns(tables)
        try:
            for t in reversed(tables):
                if t.name != AUDIT_TABLE:
                    db.session.execute(delete(t))
            for t in tables:
                if t.name not in manifest["tables"]:
                    continue
                _load_table(tar, manifest, t, deferred.get(t.name, []))
            for t in tables:
                cols = deferred.get(t.name)
                if cols and t.name in manifest["tables"]:
                    _set_deferred(tar, manifest, t, cols)
            _reset_sequences(tables)
            db.session.commit()
        except BackupError:
            db.session.rollback()
            raise
        except Exception as exc:
            db.session.rollback()
            raise BackupError(f"restore failed and was rolled back: {exc.__class__.__name__}: "
                              f"{str(exc).splitlines()[0][:200]}") from exc
        restored = _restore_attachments(tar, manifest)
    return {**manifest, "attachments_restored": restored}


def _rows(tar, manifest, table):
    data = _member_bytes(tar, f"tables/{table.name}.jsonl", manifest)
    # generated (computed) columns are the database's to fill: never inserted
    decoders = {c.name: _decoder(c) for c in table.columns if c.computed is None}
    for line in data.decode("utf-8").splitlines():
        row = json.loads(line)
        yield {k: (decoders[k](v) if v is not None and decoders.get(k) else v) for k, v in row.items()
               if k in decoders}


def _load_table(tar, manifest, table, deferred: list[str]) -> None:
    batch = []
    for row in _rows(tar, manifest, table):
        for col in deferred:
            row[col] = None
        batch.append(row)
        if len(batch) >= CHUNK:
            db.session.execute(insert(table), batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)


def _set_deferred(tar, manifest, table, cols: list[str]) -> None:
    pk = list(table.primary_key.columns)
    stamped = [c.name for c in table.columns if c.onupdate is not None or c.server_onupdate is not None]
    for row in _rows(tar, manifest, table):
        values = {c: row[c] for c in cols if row.get(c) is not None}
        if values:
            values.update({c: row[c] for c in stamped})   # keep "updated at" as backed up
            db.session.execute(update(table).where(*[c == row[c.name] for c in pk]).values(**values))


def _restore_attachments(tar, manifest) -> int:
    root = os.path.realpath(_attachment_root())
    count = 0
    for member in tar.getmembers():
        if not member.name.startswith("attachments/") or not member.isfile():
            continue
        target = os.path.realpath(os.path.join(root, member.name[len("attachments/"):]))
        if not target.startswith(root + os.sep):
            raise BackupError(f"refusing a path outside the attachment folder: {member.name}")
        data = _member_bytes(tar, member.name, manifest)
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
        count += 1
    return count
