"""PostgreSQL through psycopg: a transaction that only read ends with COMMIT, so psycopg keeps the statements it
has prepared (issue 22).

psycopg prepares a statement on the server once a connection has run it five times (``prepare_threshold``),
and then skips PostgreSQL's planning of it: 0.1–0.5 ms of a list page's 2 statements. But psycopg forgets every
prepared statement on ROLLBACK (``DEALLOCATE ALL``: a rolled-back transaction may have dropped what they
refer to), and every request ends with one — the session's close rolls back whatever it read — so no
statement ever reached its fifth run. Here a transaction in which every statement was a ``SELECT`` (or a ``WITH`` that modifies nothing; and the
session had nothing unflushed: a flush would have run an INSERT/UPDATE/DELETE through here first) is
committed just before SQLAlchemy rolls it back; committing a transaction that wrote nothing is the same as
rolling it back, and the ROLLBACK that follows finds no transaction and leaves psycopg's cache alone.

Anything else — a write, a SAVEPOINT, a ``SET``, a statement run outside SQLAlchemy's cursor events, a
transaction in error, a COMMIT that fails (the server went away) — ends as before, by ROLLBACK."""
from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.engine import Engine

_WROTE = "concord_wrote"          # in the DBAPI connection's info: something other than a SELECT ran
_SELECT = re.compile(r"\s*select\b", re.IGNORECASE)
# a WITH … SELECT reads too (the audit log's filter choices), unless a CTE modifies data (``WITH d AS (DELETE …
# RETURNING …) SELECT …``): any of these words anywhere, even inside a literal, counts as a write
_WITH = re.compile(r"\s*with\b", re.IGNORECASE)
_MODIFYING = re.compile(r"\b(?:insert|update|delete|merge)\b", re.IGNORECASE)


def reads_only(statement: str) -> bool:
    """Whether *statement* is a SELECT, or a WITH whose parts modify nothing."""
    if _SELECT.match(statement):
        return True
    return bool(_WITH.match(statement)) and not _MODIFYING.search(statement)


def _psycopg(conn) -> bool:
    return conn.dialect.driver == "psycopg"


@event.listens_for(Engine, "begin")
def _begin(conn) -> None:
    conn.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note(conn, cursor, statement, parameters, context, executemany) -> None:
    if not conn.info.get(_WROTE, True) and not reads_only(statement):
        conn.info[_WROTE] = True


@event.listens_for(Engine, "rollback")
def _end_a_reading_transaction_by_commit(conn) -> None:
    # this runs before SQLAlchemy's ROLLBACK and outside its handling of database errors: nothing may escape
    # (the server gone after a restart: SQLAlchemy's own ROLLBACK then fails, as before, and its callers answer
    # 503 and drop the connection)
    try:
        if conn.info.get(_WROTE, True) or not _psycopg(conn):
            return
        from psycopg.pq import TransactionStatus
        raw = conn.connection.dbapi_connection
        if raw is not None and raw.info.transaction_status == TransactionStatus.INTRANS:
            raw.commit()
    except Exception:
        pass
