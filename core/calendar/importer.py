"""Import a State Council holiday notice: parse, compare with the table, write, recompute."""
from __future__ import annotations

from .deadlines import calendar_changed
from .notice import parse_notice
from .store import apply_notice, entries_for_year, plan_notice

KIND_LABEL = {"holiday": "holiday", "workday": "workday (调休 make-up working day)"}


def import_notice(text: str, year: int | None = None, source: str = "国务院通知",
                  dry_run: bool = False) -> dict:
    """Parse *text* and (unless *dry_run*) write it; returns the plan and printable lines.
    Raises ``NoticeError`` for text it cannot read. The caller commits."""
    notice = parse_notice(text, year)
    plan = plan_notice(notice)
    lines = [f"{p['date'].isoformat()}  {KIND_LABEL[p['kind']]}  {p['name']}" + _note(p) for p in plan]
    listed = {p["date"] for p in plan}
    extra = [h for h in entries_for_year(notice.year) if h.date not in listed]
    lines += [f"note: {h.date.isoformat()} {h.kind} {h.name} is in the table but not in the notice (kept)"
              for h in extra]
    added = sum(p["action"] == "add" for p in plan)
    changed = sum(p["action"] == "change" for p in plan)
    moved = []
    if dry_run:
        lines.append(f"dry run: {notice.year} would get {added} new and {changed} changed entries; nothing written")
    else:
        years = apply_notice(notice, plan, source)
        moved = calendar_changed(years)
        lines.append(f"{notice.year}: {added} added, {changed} changed; the year is now covered; "
                     f"{len(moved)} open deadlines recomputed")
    return {"year": notice.year, "plan": plan, "lines": lines, "moved": moved}


def _note(p: dict) -> str:
    if p["action"] == "add":
        return ""
    if p["action"] == "same":
        return "  (unchanged)"
    if p["action"] == "rename":   # same kind, another name: nothing a deadline depends on changes
        return f"  (unchanged; named {p['was'].split(' ', 1)[1]} in the table)"
    return f"  (was {p['was']})"
