"""Database handle, naming convention and the mixins every business record uses."""
from __future__ import annotations

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, Integer, DateTime
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=clock.now, onupdate=clock.now, nullable=False
    )


class VersionedMixin(TimestampMixin):
    """Optimistic locking: a stale UPDATE raises StaleDataError, which the app answers with 409."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class StaleEdit(Exception):
    """The record was changed by someone else since the form was loaded."""


def check_version(record, submitted_version) -> None:
    """Refuse an edit made against an older version of *record*."""
    try:
        submitted = int(submitted_version)
    except (TypeError, ValueError):
        raise StaleEdit() from None
    if submitted != record.version:
        raise StaleEdit()


from core import pg_prepared  # noqa: E402,F401  (its engine listeners: psycopg keeps prepared statements)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):  # pragma: no cover - trivial
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def refresh_planner_statistics() -> None:
    """Give the query planner fresh row statistics (after bulk loads, and nightly): without them SQLite
    sorts a whole table for a first page instead of walking the date index (260 ms → 0.3 ms at 100k rows)."""
    from sqlalchemy import text
    if db.engine.dialect.name in ("sqlite", "postgresql"):
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def count_up_to(stmt, cap: int | None = None) -> tuple[int, bool]:
    """``(count, exact)`` of the rows *stmt* selects, counting at most *cap* (``LIST_COUNT_CAP``, default
    10,000) of them: a list's total costs the same at a thousand rows as at a million. Beyond the cap the
    count is ``cap`` and ``exact`` is False ("10,000+")."""
    return counted(db.session.scalar(count_statement(stmt, cap)), cap)


def _cap(cap: int | None) -> int:
    from flask import current_app
    return int(current_app.config.get("LIST_COUNT_CAP", 10_000)) if cap is None else cap


def inline_int(value: int):
    """A LIMIT or OFFSET *value*: on PostgreSQL written into the SQL (``LIMIT 25 OFFSET 50``), elsewhere bound.
    PostgreSQL plans a prepared statement with a bound OFFSET afresh on every run (its generic plan, not knowing
    how many rows it skips, is costed above the custom ones); with the numbers written in it keeps one plan for
    each page (issue 22: the hearings list's statement 0.52 → 0.31 ms). SQLite is the other way
    round: told ``LIMIT 25`` it sorts every person in scope (an OR of two index searches, 102 ms) where with a
    bound limit it walks the name index (0.06 ms)."""
    from flask import has_app_context
    from sqlalchemy import Integer, bindparam
    if not (has_app_context() and db.engine.dialect.name == "postgresql"):
        return int(value)
    return bindparam(None, int(value), type_=Integer, literal_execute=True)


def count_statement(stmt, cap: int | None = None):
    """``SELECT count(*)`` of at most *cap* + 1 of the rows *stmt* selects (see :func:`count_up_to`)."""
    from sqlalchemy import func, literal_column, select
    cap = _cap(cap)
    inner = stmt.order_by(None)
    if not getattr(inner, "_distinct", False) and not getattr(inner, "_group_by_clauses", ()):
        # count rows, not their columns: a wide row (long request texts) costs nothing to skip
        inner = inner.with_only_columns(literal_column("1"), maintain_column_froms=True)
    return select(func.count()).select_from(inner.limit(inline_int(cap + 1)).subquery())


def count_parts_statement(parts, cap: int | None = None):
    """:func:`count_statement` of the rows of *parts*, statements no row is selected by two of (the
    alternatives of an OR, as ``core.regions.scope.scope_alternatives`` gives them): counted together by a
    UNION ALL, each part by its own index range."""
    from sqlalchemy import func, literal_column, select, union_all
    cap = _cap(cap)
    rows = [p.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True) for p in parts]
    inner = rows[0] if len(rows) == 1 else union_all(*rows)
    return select(func.count()).select_from(inner.limit(inline_int(cap + 1)).subquery())


def counted(n, cap: int | None = None) -> tuple[int, bool]:
    """``(count, exact)`` from the result of :func:`count_statement`."""
    cap = _cap(cap)
    n = n or 0
    return (cap, False) if n > cap else (n, True)
