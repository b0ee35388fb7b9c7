"""The notice as gov.cn and the 国务院公报 print it: a title over two lines; and an import that finds
only other names for the same days reports no change (only a day's kind moves a deadline)."""
import os

import pytest
from sqlalchemy import select

from core.calendar.models import Holiday
from core.calendar.notice import parse_notice
from core.db import db

from tests.test_calendar_notice import DATA, official, parsed

TITLE = "国务院办公厅关于2026年部分节假日安排的通知"


def _notice_2026() -> str:
    with open(os.path.join(DATA, "holiday_notice_2026.txt"), encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("split", ["国务院办公厅关于2026年\n部分节假日安排的通知",
                                   "国务院办公厅\n关于2026年部分节假日安排的通知",
                                   "国务院办公厅关于\n2026年部分节假日\n安排的通知",
                                   "　　国务院办公厅关于2026年部分节\r\n　　假日安排的通知"])
def test_title_over_two_lines(split):
    text = _notice_2026()
    assert TITLE in text
    notice = parse_notice(text.replace(TITLE, split, 1))
    assert notice.year == 2026 and parsed(notice) == official(2026)


def _import(app, *extra):
    return app.test_cli_runner().invoke(args=["calendar", "import-notice",
                                              os.path.join(DATA, "holiday_notice_2026.txt"), *extra])


def test_renamed_only_entries_are_not_changes(app):
    for day in db.session.scalars(select(Holiday).where(Holiday.name.in_(["国庆节", "中秋节"]))):
        if day.date.year == 2026:
            day.name = "国庆节、中秋节"          # what a combined item in another year's notice is called
    db.session.commit()
    dry = _import(app, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would get 0 new and 0 changed" in dry.stdout
    assert "2026-10-01  holiday  国庆节  (unchanged; named 国庆节、中秋节 in the table)" in dry.stdout
    done = _import(app)
    assert done.exit_code == 0 and "0 added, 0 changed" in done.stdout
    # a real change of kind is still reported
    day = db.session.scalar(select(Holiday).where(Holiday.date == official_day()))
    day.kind = "workday"
    db.session.commit()
    again = _import(app, "--dry-run")
    assert "0 new and 1 changed" in again.stdout and "(was workday" in again.stdout


def official_day():
    from datetime import date
    return date(2026, 10, 2)
