"""Gap-free reference numbers: ``next_reference("petition.case")`` → ``JS-XF-2026-00042``.

The number is taken inside the caller's transaction from the counter row of (sequence, year):

* PostgreSQL: the row is created if missing (``INSERT … ON CONFLICT DO NOTHING``), then locked with
  ``SELECT … FOR UPDATE`` and raised by one. A second writer waits on the lock until the first commits
  or rolls back, so numbers are consecutive and a rollback gives its number back.
* SQLite: the first statement is the ``UPDATE`` itself, which takes the database write lock at once
  (no read-then-upgrade that could deadlock) and holds it until the commit; other writers wait on
  ``busy_timeout``.

Numbers are therefore only as gap-free as the caller's transaction: take the number last, just before
the commit, to keep the lock short.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from core.db import db
from core.plugins import PluginError
from core import clock
from .models import Sequence, SequenceCounter
from .patterns import PatternError, render, validate_pattern

COUNTER = SequenceCounter.__table__


class SequenceError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def local_today() -> date:
    return clock.today()


def _year(on_date) -> int:
    if on_date is None:
        return local_today().year
    if isinstance(on_date, (date, datetime)):
        return on_date.year
    raise SequenceError(f"on_date must be a date, not {type(on_date).__name__}")


def _insert_ignore(table, **values):
    """INSERT that does nothing if the key exists (both dialects we run on)."""
    name = db.engine.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - other databases are not supported
        raise SequenceError(f"sequences do not support the {name} database")
    return db.session.execute(insert(table).values(**values).on_conflict_do_nothing())


def _declared() -> dict[str, tuple[str, str]]:
    from core.plugins import host
    return {c.key: (c.plugin, c.value) for c in host().items("sequence")}


def _ensure_sequence(code: str) -> None:
    """Create the row of a declared sequence that was not synced yet (plugin enabled, no upgrade)."""
    if db.session.scalar(select(Sequence.id).where(Sequence.code == code)) is not None:
        return
    declared = _declared().get(code)
    if declared is None:
        raise SequenceError(f"unknown sequence {code!r}: declare it with ctx.sequence()")
    plugin, pattern = declared
    _insert_ignore(Sequence.__table__, code=code, plugin=plugin, pattern=pattern, declared_pattern=pattern)


# built once: constructing the statements costs more than running them
_ROW = (COUNTER.c.sequence_code == bindparam("seq_code")) & (COUNTER.c.year == bindparam("seq_year"))
_CURRENT = (select(COUNTER.c.last_number, Sequence.pattern)  # (last number, pattern) in one statement
            .join(Sequence, Sequence.code == COUNTER.c.sequence_code).where(_ROW))
_LOCK = _CURRENT.with_for_update(of=COUNTER)
_BUMP = update(COUNTER).where(_ROW).values(last_number=COUNTER.c.last_number + 1)
_SET = update(COUNTER).where(_ROW).values(last_number=bindparam("new_last"))


def _take_postgresql(code: str, year: int) -> tuple[int, str]:
    key = {"seq_code": code, "seq_year": year}
    found = db.session.execute(_LOCK, key).first()
    if found is None:
        _ensure_sequence(code)
        _insert_ignore(COUNTER, sequence_code=code, year=year, last_number=0)
        found = db.session.execute(_LOCK, key).one()
    last, pattern = found
    db.session.execute(_SET, {**key, "new_last": last + 1})
    return last + 1, pattern


def _take_sqlite(code: str, year: int) -> tuple[int, str]:
    key = {"seq_code": code, "seq_year": year}
    if db.session.execute(_BUMP, key).rowcount == 0:  # the write lock is held from here on
        _ensure_sequence(code)
        _insert_ignore(COUNTER, sequence_code=code, year=year, last_number=1)
    last, pattern = db.session.execute(_CURRENT, key).one()
    return last, pattern


def _take(sequence_id: str, year: int) -> tuple[int, str]:
    if db.engine.dialect.name == "postgresql":
        return _take_postgresql(sequence_id, year)
    return _take_sqlite(sequence_id, year)


def take_number(sequence_id: str, year: int) -> int:
    """The next number of *sequence_id* for *year*, inside the current transaction."""
    return _take(sequence_id, year)[0]


def next_reference(sequence_id: str, on_date: date | datetime | None = None) -> str:
    """Take the next number of *sequence_id* for the year of *on_date* (default: today, local time)
    and return the formatted reference. Rolled back with the caller's transaction."""
    year = _year(on_date)
    n, pattern = _take(sequence_id, year)
    return render(pattern, year, n)


def peek_reference(sequence_id: str, on_date: date | datetime | None = None) -> str:
    """The reference the next call would give (no lock, nothing taken): for display only."""
    year = _year(on_date)
    seq = db.session.scalar(select(Sequence).where(Sequence.code == sequence_id))
    if seq is None:
        raise SequenceError(f"unknown sequence {sequence_id!r}")
    return render(seq.pattern, year, last_number(sequence_id, year) + 1)


def last_number(sequence_id: str, year: int) -> int:
    key = {"seq_code": sequence_id, "seq_year": year}
    return db.session.scalar(select(COUNTER.c.last_number).where(_ROW), key) or 0


def sync_sequences() -> dict[str, int]:
    """Store every declared sequence (called after migrations). An administrator's pattern is kept;
    an unchanged one follows the plugin's new declaration."""
    existing = {s.code: s for s in db.session.scalars(select(Sequence))}
    added = updated = 0
    for code, (plugin, pattern) in sorted(_declared().items()):
        try:
            validate_pattern(pattern)
        except PatternError as exc:
            raise PluginError(f"sequence {code!r} of plugin {plugin!r}: {exc}") from None
        seq = existing.get(code)
        if seq is None:
            db.session.add(Sequence(code=code, plugin=plugin, pattern=pattern, declared_pattern=pattern))
            added += 1
        elif seq.declared_pattern != pattern:
            if not seq.customised:
                seq.pattern = pattern
            seq.declared_pattern = pattern
            updated += 1
    db.session.flush()
    return {"added": added, "updated": updated}


def set_pattern(seq: Sequence, pattern: str, next_number: int | None = None, year: int | None = None) -> None:
    """Admin edit: a new pattern and, optionally, the next number of *year* (only ever upwards,
    e.g. to continue a register that was kept on paper; lowering it would repeat references)."""
    try:
        seq.pattern = validate_pattern(pattern)
    except PatternError as exc:
        raise SequenceError(str(exc), "pattern") from None
    if next_number is None:
        return
    year = year or local_today().year
    current = take_number(seq.code, year) - 1  # locks the row (and creates it) before comparing
    if next_number <= current:
        raise SequenceError(_("Number %(n)d has already been used in %(year)d: the next number must be at "
                              "least %(min)d.", n=next_number, year=year, min=current + 1), "next_number")
    db.session.execute(_SET, {"seq_code": seq.code, "seq_year": year, "new_last": next_number - 1})
