"""Measures: the counts KPIs, charts and the region breakdown are made of, contributed by plugins.

A plugin contributes ``ctx.contribute("kpi.measure", "<plugin>.<name>", Measure(...))``. ``Measure.query``
is ``fn(start, end) -> Select`` selecting the records that count in the half-open period [start, end)
with columns labelled ``id`` (the record's id), ``region_id`` and ``at`` (the datetime that puts the
record in the period; the select must keep ``start <= at < end``), optionally ``key`` (a code to break
the figure down by, e.g. the channel; ``keys`` gives its labels). Core adds the region scope, counts,
groups by region or month and lists the records behind any number (``model`` and ``record_type``).

How a measure shows is declared on it too, so core names no plugin's measure: ``chart=Chart(...)`` (a
dashboard chart), ``rate=Rate(...)`` (a line in the on-time rates chart, this measure over ``of``),
``column=Column(...)`` (a column of the region breakdown) and ``section=N`` (a table of the monthly report,
in order N). A KPI definition seeded by default is ``ctx.contribute("kpi.default", code, KpiDefault(...))``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable

from flask import current_app
from sqlalchemy import Date, and_, case, func, or_, select

from core.calendar.models import Deadline
from core.db import db
from core.plugins.points import kpi_measure
from core import clock
from .cache import cached, regions_key


@dataclass(frozen=True)
class Chart:
    """A dashboard chart of one measure. ``style``: ``monthly`` (the last months, stacked by key),
    ``period`` (the month's count by key) or ``split`` (``row:column`` keys, rows on the x axis).
    ``title`` may name ``%(period)s``; a chart listed in ``unless`` being present hides this one."""
    id: str
    title: Any
    style: str = "monthly"
    order: int = 100
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rate:
    """A series of the on-time rates chart: this measure ÷ the measure ``of``, in percent."""
    label: Any
    of: str
    order: int = 100


@dataclass(frozen=True)
class Column:
    """A column of the region breakdown table."""
    label: Any
    order: int = 100


@dataclass(frozen=True)
class KpiDefault:
    """A KPI definition seeded once (administrators edit it afterwards); contributed under the key
    ``<plugin>.<code>``, stored under ``code``."""
    code: str
    name: str
    numerator: str
    denominator: str | None
    period: str
    target: float | None
    higher_is_better: bool
    source: str
    order: int = 100


@dataclass(frozen=True)
class Measure:
    label: Any
    query: Callable[[datetime, datetime], Any]
    model: Any = None                 # ORM class of the records (drill-down list)
    record_type: str = ""             # register_record_access name (links to each record)
    keys: dict = field(default_factory=dict)   # key code → label when the select has a ``key`` column
    title: Callable[[Any], str] | None = None  # record → one-line description for the drill-down list
    key: str = ""                     # filled in from the contribution
    chart: Chart | None = None
    rate: Rate | None = None
    column: Column | None = None
    section: int | None = None        # order of its table in the monthly report


def measures() -> dict[str, Measure]:
    host = current_app.extensions["concord"]
    out = {}
    for c in host.items(kpi_measure):
        out[c.key] = replace(c.value, key=c.key)
    return out


def get(key: str) -> Measure | None:
    return measures().get(key)


def _sub(m: Measure, start: datetime, end: datetime, region_ids=None):
    return m.query(start, end).subquery()


def _bound(column, moment: datetime):
    """A period boundary typed like *column* (a DATE column compares with a date, not a datetime)."""
    return moment.date() if isinstance(column.type, Date) else moment


def clock_query(record_type: str, region_column, id_column, rules: tuple[str, ...], start: datetime,
                end: datetime, outcome: str = "due"):
    """A measure select over the statutory clocks (core_deadline) of *rules* due in [start, end):
    ``due`` every clock due, ``on_time`` those met by their due date, ``late`` those met late or still
    open past their due date today. ``at`` is the due date; one row per record (its first such clock)."""
    d = Deadline
    where = [d.record_type == record_type, d.rule_code.in_(rules), d.due >= start.date(), d.due < end.date()]
    met_day = func.date(d.met_at)
    if outcome == "on_time":
        where += [d.status == "met", met_day <= d.due]
    elif outcome == "late":
        where.append(or_(and_(d.status == "met", met_day > d.due),
                         and_(d.status.in_(("open", "overdue", "paused")), d.due < clock.today())))
    return (select(id_column.label("id"), region_column.label("region_id"), func.min(d.due).label("at"))
            .join(d, d.record_id == id_column).where(*where).group_by(id_column, region_column))


def _scoped(sub, region_ids):
    return [sub.c.region_id.in_(region_ids)] if region_ids is not None else []


def count(m: Measure, start: datetime, end: datetime, region_ids: list[int] | None, key: str | None = None) -> int:
    return cached(("count", m.key, start, end, regions_key(region_ids), key),
                  lambda: _count(m, start, end, region_ids, key))


def _count(m: Measure, start, end, region_ids, key) -> int:
    sub = _sub(m, start, end, region_ids)
    where = _scoped(sub, region_ids)
    if key is not None:
        where.append(sub.c.key == key)
    return int(db.session.scalar(select(func.count()).select_from(sub).where(*where)) or 0)


def by_region(m: Measure, start: datetime, end: datetime, region_ids: list[int] | None) -> dict[int, int]:
    """region id → count (one GROUP BY; the caller folds regions into their ancestors)."""
    return dict(cached(("by_region", m.key, start, end, regions_key(region_ids)),
                       lambda: _by_region(m, start, end, region_ids)))


def _by_region(m: Measure, start, end, region_ids) -> dict[int, int]:
    sub = _sub(m, start, end, region_ids)
    stmt = select(sub.c.region_id, func.count()).where(*_scoped(sub, region_ids)).group_by(sub.c.region_id)
    return {rid: int(n) for rid, n in db.session.execute(stmt)}


def by_key(m: Measure, start: datetime, end: datetime, region_ids: list[int] | None) -> dict[str, int]:
    return dict(cached(("by_key", m.key, start, end, regions_key(region_ids)),
                       lambda: _by_key(m, start, end, region_ids)))


def _by_key(m: Measure, start, end, region_ids) -> dict[str, int]:
    sub = _sub(m, start, end, region_ids)
    stmt = select(sub.c.key, func.count()).where(*_scoped(sub, region_ids)).group_by(sub.c.key)
    return {str(k): int(n) for k, n in db.session.execute(stmt)}


def by_month(m: Measure, months: list[tuple[datetime, datetime]], region_ids: list[int] | None,
             with_key: bool = False) -> dict:
    """(month index, key or None) → count over consecutive months, in one query (a portable CASE
    over the ``at`` column instead of a dialect's date functions)."""
    return dict(cached(("by_month", m.key, tuple(months), regions_key(region_ids), with_key),
                       lambda: _by_month(m, months, region_ids, with_key)))


def _by_month(m: Measure, months, region_ids, with_key: bool) -> dict:
    sub = _sub(m, months[0][0], months[-1][1], region_ids)
    bucket = case(*[(sub.c.at < _bound(sub.c.at, e), i) for i, (_s, e) in enumerate(months)], else_=len(months))
    cols = [bucket.label("b")] + ([sub.c.key] if with_key else [])
    stmt = select(*cols, func.count()).where(*_scoped(sub, region_ids)).group_by(*cols)
    out: dict = {}
    for row in db.session.execute(stmt):
        out[(int(row[0]), str(row[1]) if with_key else None)] = int(row[-1])
    return out


def record_ids(m: Measure, start: datetime, end: datetime, region_ids: list[int] | None,
               key: str | None = None, limit: int = 100_000) -> list[tuple[int, datetime]]:
    sub = _sub(m, start, end, region_ids)
    where = _scoped(sub, region_ids)
    if key is not None:
        where.append(sub.c.key == key)
    stmt = select(sub.c.id, sub.c.at).where(*where).order_by(sub.c.at.desc(), sub.c.id.desc()).limit(limit)
    return [(int(i), at) for i, at in db.session.execute(stmt)]
