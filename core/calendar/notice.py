"""Read the State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知) from
its published plain text into (date, kind, name) entries.

Handled: full-width and half-width punctuation and digits; items like "一、元旦：" or "国庆节、中秋节："
(numbered or not); single days ("1月1日放假") and ranges ("2月15日至23日", "4月30日至5月4日",
"12月30日至1月1日"), with parenthetical notes ("（农历除夕、周二）") ignored; explicit years
("2024年12月30日"); "补休" days; make-up working days ("9月20日（周日）、10月10日（周六）上班").
A stated total ("共8天", "放假1天") must match the range, so a misread is an error, not a wrong table.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

HOLIDAY, WORKDAY = "holiday", "workday"
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


class NoticeError(ValueError):
    """The text is not a holiday notice this parser understands (one line, safe to show)."""


@dataclass(frozen=True)
class Entry:
    date: date
    kind: str  # holiday | workday
    name: str


@dataclass(frozen=True)
class Notice:
    year: int
    entries: tuple[Entry, ...]


_TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年[^。\n]{0,12}?节假日安排")
_HEADER = re.compile(r"(?:^|(?<=[。;\n])|[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\))[ \t]*"
                     r"([\u4e00-\u9fff\d]{2,40}?(?:、[\u4e00-\u9fff\d]{2,40}?)*)[ \t]*:", re.M)
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
_RANGE = re.compile(_DATE + r"(?:\s*(?:至|到|—|–|-|~)\s*" + _DATE + r")?")
_TOTAL = re.compile(r"(?:共|放假)([\d一二三四五六七八九十]+)天")
_PARENS = re.compile(r"\([^()]*\)")


def normalise(text: str) -> str:
    """NFKC (full-width → half-width: ：（）， digits) and strip parenthetical notes."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("〔", "[").replace("〕", "]")
    previous = None
    while previous != text:  # nested parentheses, innermost first
        previous, text = text, _PARENS.sub("", text)
    return text


def notice_year(text: str) -> int | None:
    """The year in the title, also when the title is printed over two lines (as gov.cn and the 国务院公报
    set it: "国务院办公厅关于2026年\n部分节假日安排的通知"): line breaks and spaces in the opening
    lines are ignored."""
    head = unicodedata.normalize("NFKC", text)[:600]
    m = _TITLE_YEAR.search(head) or _TITLE_YEAR.search(re.sub(r"\s+", "", head))
    return int(m.group(1)) if m else None


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_DIGITS[token[1]]
    if token.endswith("十"):
        return 10 * _CN_DIGITS[token[0]]
    if "十" in token:
        tens, ones = token.split("十")
        return 10 * _CN_DIGITS[tens] + _CN_DIGITS[ones]
    return _CN_DIGITS[token]


def _make_date(year: int, month: int, day: int, where: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NoticeError(f"invalid date {year}-{month:02d}-{day:02d} in “{where}”") from None


class _Item:
    """One holiday item: its name and body; resolves month/year omitted after the first date."""

    def __init__(self, year: int, name: str, body: str):
        self.year, self.name, self.body = year, name, body

    def _default_year(self, month: int) -> int:
        # "元旦：12月30日至1月1日" in the notice for year Y: December belongs to Y-1
        return self.year - 1 if month == 12 and "元旦" in self.name else self.year

    def dates(self, clause: str) -> list[tuple[date, date]]:
        """Every date or range in *clause*, as (first, last) pairs."""
        spans, month = [], None
        for m in _RANGE.finditer(clause):
            y1, m1, d1, y2, m2, d2 = m.groups()
            month = int(m1) if m1 else month
            if month is None:
                raise NoticeError(f"a date without a month in “{clause}”")
            year = int(y1) if y1 else self._default_year(month)
            first = _make_date(year, month, int(d1), clause)
            last = first
            if d2:
                month2 = int(m2) if m2 else month
                year2 = int(y2) if y2 else (year + 1 if month2 < month else year)
                last = _make_date(year2, month2, int(d2), clause)
                month = month2
                if last < first or last.toordinal() - first.toordinal() > 30:
                    raise NoticeError(f"the range in “{clause}” is not a holiday period")
            spans.append((first, last))
        return spans


def _clauses(body: str) -> list[str]:
    return [c.strip() for c in re.split(r"[。;\n]", body) if c.strip()]


def _parse_item(item: _Item) -> list[Entry]:
    entries: list[Entry] = []
    for sentence in _clauses(item.body):
        parts = [p for p in re.split(r",", sentence) if p.strip()]
        for i, part in enumerate(parts):
            if "上班" in part:
                entries += [Entry(d, WORKDAY, item.name) for a, b in item.dates(part) for d in _span(a, b)]
            elif re.search(r"放假|补休|休息|调休", part) and _RANGE.search(part):
                spans = item.dates(part)
                days = [d for a, b in spans for d in _span(a, b)]
                _check_total(parts[i:], len(days), sentence)
                entries += [Entry(d, HOLIDAY, item.name) for d in days]
    return entries


def _check_total(parts: list[str], count: int, sentence: str) -> None:
    """"共N天" in this clause or the next must equal the days the range holds."""
    for part in parts[:2]:
        m = _TOTAL.search(part)
        if m:
            stated = _number(m.group(1))
            if stated != count:
                raise NoticeError(f"“{sentence}” states {stated} days but the dates give {count}")
            return


def _span(first: date, last: date) -> list[date]:
    return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]


def _items(text: str, year: int) -> list[_Item]:
    heads = list(_HEADER.finditer(text))
    items = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        name = re.sub(r"^[一二三四五六七八九十\d]+[、.]", "", m.group(1))
        items.append(_Item(year, name, text[m.end():end]))
    return items


def parse_notice(text: str, year: int | None = None) -> Notice:
    """The holidays and make-up working days the notice announces. *year* overrides the title."""
    if not text or not text.strip():
        raise NoticeError("the file is empty")
    year = year or notice_year(text)
    if year is None:
        raise NoticeError("no year in the title (关于XXXX年部分节假日安排的通知); give --year")
    by_date: dict[date, Entry] = {}
    for item in _items(normalise(text), year):
        for entry in _parse_item(item):
            other = by_date.get(entry.date)
            if other is not None and other.kind != entry.kind:
                raise NoticeError(f"{entry.date.isoformat()} is both a holiday and a working day")
            by_date.setdefault(entry.date, entry)
    if not by_date:
        raise NoticeError("no holiday arrangements found (expected lines like “春节：2月15日至23日放假调休，共9天。”)")
    return Notice(year, tuple(sorted(by_date.values(), key=lambda e: e.date)))
