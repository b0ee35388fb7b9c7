"""``concord deadline compute|rules`` and ``concord calendar import-notice|years``.

Every bad input ends as ``CliError``: exit code 2 and one line on stderr, never a traceback.
"""
from __future__ import annotations

import json
import os
import re
from datetime import date

import click
from flask.cli import AppGroup

from core.cli import CliError
from .engine import DeadlineInputError
from .index import OutOfRange
from .notice import NoticeError
from .rules import RuleError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OneLineCommand(click.Command):
    """Usage errors (missing or unknown options) as one line too."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise CliError(exc.format_message()) from None


def parse_date(text: str | None, what: str) -> date:
    if not text:
        raise CliError(f"{what} is required (YYYY-MM-DD)")
    try:
        if not _ISO.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


def parse_pause(text: str) -> tuple[date, date]:
    first, sep, last = text.partition(":")
    if not sep:
        raise CliError(f"--pause {text!r}: use YYYY-MM-DD:YYYY-MM-DD")
    a, b = parse_date(first, "--pause start"), parse_date(last, "--pause end")
    if b < a:
        raise CliError(f"--pause {text}: the pause ends before it starts")
    return a, b


def parse_count(text: str, what: str) -> int:
    if not re.fullmatch(r"\d{1,6}", text or ""):
        raise CliError(f"{what} must be a positive whole number, not {text!r}")
    return int(text)


deadline = AppGroup("deadline", help="Statutory deadlines (contract §3).")
calendar = AppGroup("calendar", help="The official working-day calendar.")


@deadline.command("compute", cls=OneLineCommand)
@click.option("--rule", "rule_code", help="a named rule, e.g. petition.handle")
@click.option("--days", help="N days (with --unit calendar|working)")
@click.option("--unit", help="calendar (default) or working, with --days")
@click.option("--months", help="N months")
@click.option("--start", help="the start day YYYY-MM-DD (not counted)")
@click.option("--pause", "pauses", multiple=True, help="YYYY-MM-DD:YYYY-MM-DD, inclusive; repeatable")
@click.option("--extended", is_flag=True, help="with --rule: add the rule's extension")
@click.option("--no-explain", is_flag=True, help="leave out the explanation")
def compute_cmd(rule_code, days, unit, months, start, pauses, extended, no_explain):
    """Print one JSON object: due, calendar_incomplete, rule, basis (+ explain)."""
    from . import services
    chosen = [name for name, value in (("--rule", rule_code), ("--days", days), ("--months", months)) if value]
    if len(chosen) != 1:
        raise CliError("give exactly one of --rule CODE, --days N or --months N")
    if unit and not days:
        raise CliError("--unit goes with --days")
    if extended and not rule_code:
        raise CliError("--extended goes with --rule")
    start_day = parse_date(start, "--start")
    spans = [parse_pause(p) for p in pauses]
    try:
        if rule_code:
            out = services.compute_rule(rule_code, start_day, spans, extended, explain=not no_explain)
        elif days:
            if (unit or "calendar") not in ("calendar", "working"):
                raise CliError(f"--unit must be calendar or working, not {unit!r}")
            out = services.compute_days(start_day, parse_count(days, "--days"), unit or "calendar", spans,
                                        explain=not no_explain)
        else:
            out = services.compute_days(start_day, parse_count(months, "--months"), "months", spans,
                                        explain=not no_explain)
    except (DeadlineInputError, RuleError, OutOfRange) as exc:
        raise CliError(str(exc)) from None
    click.echo(json.dumps(out, ensure_ascii=False))


@deadline.command("rules", cls=OneLineCommand)
@click.option("--json", "as_json", is_flag=True, help="print a JSON list")
def rules_cmd(as_json):
    """Every named rule: code, length, unit, legal basis (and a province override's source)."""
    from . import services
    try:
        rules = services.rules()
    except RuleError as exc:
        raise CliError(str(exc)) from None
    for warning in services.override_warnings():
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rules.values()], ensure_ascii=False))
        return
    for r in rules.values():
        ext = f" (+{r.extension})" if r.extension else ""
        line = f"{r.code:<42} {r.length:>4}{ext:<6} {r.unit:<9} {r.basis}"
        if r.override_source:
            line += f"  [override: {r.override_source}; national {r.default_length}]"
        click.echo(line)


def read_text(path: str) -> str:
    """The file's text (UTF-8, or GB18030 as Chinese offices often save it)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(2_000_000)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CliError(f"{path} is not a text file in UTF-8 or GB18030")


@calendar.command("import-notice", cls=OneLineCommand)
@click.argument("file", required=False)
@click.option("--dry-run", is_flag=True, help="only print what would be added")
@click.option("--year", help="the year, when the title does not say it")
def import_notice_cmd(file, dry_run, year):
    """Read a State Council holiday notice (plain text) into the holiday table."""
    from core.db import db
    from .importer import import_notice
    if not file:
        raise CliError("give the notice FILE")
    text = read_text(file)
    try:
        report = import_notice(text, year=parse_count(year, "--year") if year else None,
                               source=f"国务院通知 {os.path.basename(file)}"[:200], dry_run=dry_run)
    except NoticeError as exc:
        db.session.rollback()
        raise CliError(f"{os.path.basename(file)}: {exc}") from None
    for line in report["lines"]:
        click.echo(line)
    db.session.commit()


@calendar.command("years", cls=OneLineCommand)
def years_cmd():
    """Which years the holiday table covers (others use the statutory fallback)."""
    from sqlalchemy import select
    from core.db import db
    from .models import HolidayYear
    for row in db.session.scalars(select(HolidayYear).order_by(HolidayYear.year)):
        click.echo(f"{row.year}  {'covered' if row.covered else 'not covered'}  {row.source}")
