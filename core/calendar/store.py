"""The holiday table: seeding from ``chinese_calendar``, the revision counter, and edits.

Every change goes through here and ends with ``bump_revision()``; callers then run
``core.calendar.deadlines.calendar_changed(years)`` so open deadlines are recomputed.
"""
from __future__ import annotations

from datetime import date
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy import insert, select, update

from core.db import db
from core import clock
from .models import CalendarState, Holiday, HolidayYear
from .notice import Notice

SEED_YEARS = range(2004, 2027)  # what chinesecalendar 1.11 holds
KINDS = ("holiday", "workday")
CHINESE_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节", "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarError(ValueError):
    """A holiday-table edit that cannot be made (message safe to show)."""


def _seed_source() -> str:
    try:
        return f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:  # pragma: no cover
        return "chinesecalendar"


# -- revision ------------------------------------------------------------------------------------
def revision() -> int:
    return db.session.scalar(select(CalendarState.revision).where(CalendarState.id == 1)) or 0


def bump_revision() -> None:
    """Count a change of the holiday table (caches in every process rebuild on the next use)."""
    done = db.session.execute(update(CalendarState).where(CalendarState.id == 1).values(
        revision=CalendarState.revision + 1, changed_at=clock.now())).rowcount
    if not done:
        db.session.add(CalendarState(id=1, revision=1, changed_at=clock.now()))
        db.session.flush()
    db.session.info["calendar_dirty"] = True


# -- reading -------------------------------------------------------------------------------------
def table_rows() -> tuple[list[tuple[date, str, str]], set[int]]:
    """(date, kind, name) of every entry, and the covered years."""
    rows = db.session.execute(select(Holiday.date, Holiday.kind, Holiday.name)).all()
    covered = set(db.session.scalars(select(HolidayYear.year).where(HolidayYear.covered.is_(True))))
    return [tuple(r) for r in rows], covered


def entries_for_year(year: int) -> list[Holiday]:
    return list(db.session.scalars(select(Holiday).where(
        Holiday.date.between(date(year, 1, 1), date(year, 12, 31))).order_by(Holiday.date)))


def year_state(year: int) -> HolidayYear | None:
    return db.session.get(HolidayYear, year)


# -- seeding (the "sync" contribution: runs after every `concord db upgrade`) --------------------
def seed_from_chinese_calendar() -> dict:
    """Insert the chinese_calendar data for every seed year not yet in the table. Idempotent; a
    no-op (one query) once every year is there, so years an admin edited are never overwritten."""
    have = set(db.session.scalars(select(HolidayYear.year)))
    missing = [y for y in SEED_YEARS if y not in have]
    if not missing:
        return {"years_added": 0}
    import chinese_calendar as cc

    taken = set(db.session.scalars(select(Holiday.date)))
    now, source = clock.now(), _seed_source()
    rows = [{"date": d, "kind": kind, "name": CHINESE_NAMES.get(str(name), str(name)), "source": source,
             "created_at": now, "updated_at": now}
            for kind, table in (("holiday", cc.holidays), ("workday", cc.workdays))
            for d, name in sorted(table.items()) if d.year in missing and d not in taken]
    if rows:
        db.session.execute(insert(Holiday), rows)
    db.session.execute(insert(HolidayYear), [{"year": y, "source": source, "covered": True,
                                              "created_at": now, "updated_at": now} for y in missing])
    bump_revision()
    return {"years_added": len(missing), "entries_added": len(rows)}


# -- edits ---------------------------------------------------------------------------------------
def _check_free(day: date, entry_id: int | None = None) -> None:
    other = db.session.scalar(select(Holiday).where(Holiday.date == day))
    if other is not None and other.id != entry_id:
        raise CalendarError(f"{day.isoformat()} is already in the table ({other.name})")


def _check(day: date, kind: str, name: str) -> None:
    if kind not in KINDS:
        raise CalendarError(f"unknown kind {kind!r}: holiday or workday")
    if not 1901 <= day.year <= 2099:
        raise CalendarError("dates must lie in the years 1901–2099")
    if not (name or "").strip() or len(name) > 100:
        raise CalendarError("a name of 1–100 characters is needed")


def add_entry(day: date, kind: str, name: str, source: str = "admin") -> Holiday:
    _check(day, kind, name)
    _check_free(day)
    entry = Holiday(date=day, kind=kind, name=name.strip(), source=source)
    db.session.add(entry)
    db.session.flush()
    bump_revision()
    return entry


def update_entry(entry: Holiday, day: date, kind: str, name: str, source: str = "admin") -> set[int]:
    """Change an entry; returns the years touched (old and new date)."""
    _check(day, kind, name)
    _check_free(day, entry.id)
    years = {entry.date.year, day.year}
    entry.date, entry.kind, entry.name, entry.source = day, kind, name.strip(), source
    db.session.flush()
    bump_revision()
    return years


def delete_entry(entry: Holiday) -> set[int]:
    years = {entry.date.year}
    db.session.delete(entry)
    db.session.flush()
    bump_revision()
    return years


def set_year_covered(year: int, covered: bool, source: str) -> None:
    state = db.session.get(HolidayYear, year)
    if state is None:
        db.session.add(HolidayYear(year=year, covered=covered, source=source))
    else:
        state.covered, state.source = covered, source
    db.session.flush()
    bump_revision()


def plan_notice(notice: Notice) -> list[dict]:
    """What importing *notice* would do: one dict per entry with action add|change|rename|same.
    Only the kind (holiday or working day) moves deadlines: an entry whose name alone differs (the table's
    "中秋节" where the notice says "国庆节、中秋节") is a *rename*, not a change."""
    current = {h.date: h for h in db.session.scalars(select(Holiday).where(
        Holiday.date.in_([e.date for e in notice.entries])))}
    plan = []
    for e in notice.entries:
        old = current.get(e.date)
        if old is None:
            action = "add"
        elif old.kind != e.kind:
            action = "change"
        else:
            action = "same" if old.name == e.name else "rename"
        plan.append({"date": e.date, "kind": e.kind, "name": e.name, "action": action,
                     "was": None if old is None or action == "same" else f"{old.kind} {old.name}"})
    return plan


def apply_notice(notice: Notice, plan: list[dict], source: str) -> set[int]:
    """Write a planned import and mark the notice's year covered; returns the years touched."""
    current = {h.date: h for h in db.session.scalars(select(Holiday).where(
        Holiday.date.in_([p["date"] for p in plan if p["action"] in ("change", "rename")])))}
    for p in plan:
        if p["action"] == "add":
            db.session.add(Holiday(date=p["date"], kind=p["kind"], name=p["name"], source=source))
        elif p["action"] in ("change", "rename"):
            old = current[p["date"]]
            old.kind, old.name, old.source = p["kind"], p["name"], source
    set_year_covered(notice.year, True, source)
    return {notice.year} | {p["date"].year for p in plan}
