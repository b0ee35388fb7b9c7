"""Reference patterns: ``str.format`` syntax restricted to three fields.

``{year}`` (e.g. 2026), ``{yy}`` (26, use ``{yy:02d}``) and ``{n}`` (the number, e.g. ``{n:05d}``).
A pattern needs ``{n}`` and one of ``{year}``/``{yy}``: numbers restart every year, so a reference
without the year would repeat. Attribute access, indexing and conversions (``!r``) are refused, so an
administrator-edited pattern can only ever print numbers. Literal braces are written ``{{`` ``}}``.
"""
from __future__ import annotations

import re
from string import Formatter

from flask_babel import gettext as _

FIELDS = ("year", "yy", "n")
MAX_PATTERN = 200
MAX_RENDERED = 100


class PatternError(ValueError):
    pass


def _values(year: int, n: int) -> dict[str, int]:
    return {"year": year, "yy": year % 100, "n": n}


def validate_pattern(pattern: str) -> str:
    """Return the pattern stripped, or raise PatternError with a translated message."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise PatternError(_("The pattern is empty."))
    if len(pattern) > MAX_PATTERN:
        raise PatternError(_("The pattern is longer than %(n)d characters.", n=MAX_PATTERN))
    seen = set()
    try:
        parsed = list(Formatter().parse(pattern))
    except ValueError:
        raise PatternError(_("Unbalanced braces in the pattern: write a literal brace as {{ or }}.")) from None
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in FIELDS or conversion is not None or "{" in (spec or ""):
            raise PatternError(_("Unknown field {%(field)s} in the pattern: use {year}, {yy} or {n}.",
                                 field=field + (f"!{conversion}" if conversion else "")))
        if any(int(width) > 30 for width in re.findall(r"\d+", spec or "")):
            raise PatternError(_("A format in the pattern is invalid, e.g. write {n:05d} for five digits."))
        seen.add(field)
    if "n" not in seen:
        raise PatternError(_("The pattern needs the number field {n}, e.g. {n:05d}."))
    if not seen & {"year", "yy"}:
        raise PatternError(_("The pattern needs the year ({year} or {yy}): numbers restart every year."))
    try:
        sample = pattern.format_map(_values(2026, 99999))
    except (ValueError, TypeError):
        raise PatternError(_("A format in the pattern is invalid, e.g. write {n:05d} for five digits.")) from None
    if len(sample) > MAX_RENDERED:
        raise PatternError(_("A reference from this pattern would be longer than %(n)d characters.", n=MAX_RENDERED))
    return pattern


def render(pattern: str, year: int, n: int) -> str:
    return pattern.format_map(_values(year, n))
