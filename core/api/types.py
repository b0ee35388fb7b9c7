"""Field types for API request models (pydantic v2), each with a JSON Schema that says what it accepts.

- ``LocalDateTime``: an ISO 8601 date-time in local time (``2026-11-02T09:30:00``); a date alone means
  midnight; an explicit offset (``+08:00``, ``Z``) is converted to local time (Asia/Shanghai).
- ``LocalDate``: an ISO date (``2026-08-03``); a date-time is accepted too and its date is kept.
- ``Id``: a record id (1 … 2³¹−1), so no id overflows an integer column.
- ``Text(n)``: a trimmed string of 1…n characters; ``OptionalText(n)`` may be empty or null.
Out-of-range dates (``2026-02-30``) fail with the error types ``date_invalid`` / ``datetime_invalid``,
which the API answers with 422 and a message in the user's language.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from core import clock

MAX_ID = 2**31 - 1

_DATE_RE = r"\d{4}-\d{2}-\d{2}"
_DATETIME_RE = _DATE_RE + r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATETIME_PATTERN = re.compile(_DATETIME_RE)


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and len(value) <= 40 and _DATETIME_PATTERN.fullmatch(value.strip()):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise PydanticCustomError("datetime_invalid", "not a valid date-time") from None
    else:
        raise PydanticCustomError("datetime_invalid", "not a valid date-time")
    if parsed.tzinfo is not None:
        parsed = clock.to_local(parsed)
    return parsed


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 40 and _DATETIME_PATTERN.fullmatch(value.strip()):
        text = value.strip()
        try:
            return date.fromisoformat(text[:10]) if len(text) == 10 else _parse_datetime(text).date()
        except ValueError:
            raise PydanticCustomError("date_invalid", "not a valid date") from None
    raise PydanticCustomError("date_invalid", "not a valid date")


LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_datetime),
    WithJsonSchema({
        "type": "string", "pattern": f"^{_DATETIME_RE}$", "examples": ["2026-11-02T09:30:00"],
        "description": "ISO 8601 date-time in local time (Asia/Shanghai); a date alone means midnight",
    }),
]

LocalDate = Annotated[
    date,
    BeforeValidator(_parse_date),
    WithJsonSchema({
        "type": "string", "pattern": f"^{_DATETIME_RE}$", "examples": ["2026-08-03"],
        "description": "ISO 8601 date; a date-time is accepted and its date kept",
    }),
]

Id = Annotated[int, Field(ge=1, le=MAX_ID, strict=False)]


def Text(max_length: int = 200, min_length: int = 1):  # noqa: N802 - reads like a type
    """A required string, surrounding whitespace removed, of *min_length*…*max_length* characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)]


def OptionalText(max_length: int = 200):  # noqa: N802
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length)] | None
