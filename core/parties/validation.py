"""Checks and normal forms for personal data: 居民身份证号 (GB 11643-1999), phone numbers, names.

Each ``clean_*`` returns the normal form or raises ``InvalidValue`` with a translated message.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import gettext as _

from core.text import has_bidi_control
from core import clock

# GB 11643-1999: weight of position i (0-based, 17 digits) is 2^(17-i) mod 11; check = table[sum mod 11]
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_CHECK = "10X98765432"
# first two digits: the province-level divisions of GB/T 2260 (71 台湾, 81 香港, 82 澳门, 83 港澳台居民居住证)
ID_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
     "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"})


class InvalidValue(ValueError):
    pass


def half_width(text: str) -> str:
    """Full-width letters, digits, spaces and punctuation → their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text or "")


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def clean_id_number(value: str | None, today: date | None = None) -> str | None:
    """An 18-character 居民身份证号 (upper-case X), or None when empty."""
    text = re.sub(r"\s+", "", half_width(value or "")).upper()
    if not text:
        return None
    if len(text) != 18:
        raise InvalidValue(_("An ID number has 18 characters; this one has %(n)d.", n=len(text)))
    if not (text[:17].isdigit() and text[17] in "0123456789X"):
        raise InvalidValue(_("An ID number is 17 digits followed by a digit or X."))
    if text[:2] not in ID_PROVINCES:
        raise InvalidValue(_("The ID number does not start with a province code."))
    birth = id_birth_date(text)
    if birth is None or birth.year < 1850 or birth > (today or clock.today()):
        raise InvalidValue(_("The ID number does not contain a valid date of birth."))
    if id_check_char(text[:17]) != text[17]:
        raise InvalidValue(_("The ID number's check digit is wrong: please check it for a typing error."))
    return text


def id_birth_date(id_number: str | None) -> date | None:
    if not id_number or len(id_number) != 18:
        return None
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def id_gender(id_number: str | None) -> str | None:
    """``male`` or ``female`` from the sequence code's last digit (odd = male)."""
    if not id_number or len(id_number) != 18 or not id_number[16].isdigit():
        return None
    return "male" if int(id_number[16]) % 2 else "female"


MOBILE = re.compile(r"1[3-9]\d{9}")
SERVICE = re.compile(r"1\d{2,4}|[48]00\d{7}")  # 110, 12345, 12348 hotlines; 400/800 numbers
EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|#)\s*(\d{1,6})$", re.IGNORECASE)


def _split_landline(digits: str) -> tuple[str, str] | None:
    """(area code, local number): 010 and 02x are 3-digit area codes, the others 4 digits."""
    if digits.startswith("0"):
        n = 3 if digits[1:2] in ("1", "2") else 4
        area, local = digits[:n], digits[n:]
    else:
        area, local = "", digits
    return (area, local) if re.fullmatch(r"[2-9]\d{6,7}", local) else None


def _landline(text: str) -> str | None:
    ext = None
    m = EXTENSION.search(text)
    if m:
        ext, text = m.group(1), text[:m.start()]
    international = re.match(r"^(?:\+86|0086)[\s-]*", text)
    if international:
        text = text[international.end():]
        text = text if text.startswith("0") else "0" + text
    groups = [g for g in re.split(r"[\s\-()]+", text) if g]
    if not groups or not all(g.isdigit() for g in groups):
        return None
    digits = "".join(groups)
    parts = _split_landline(digits)
    if parts is None and ext is None and len(groups) >= 2 and len(groups[-1]) <= 6:
        ext = groups[-1]  # 0730-8231234-801: the last group is an extension
        parts = _split_landline(digits[:-len(ext)])
    if parts is None:
        return None
    return "-".join(p for p in (*parts, ext) if p)


def clean_phone(value: str | None, allow_service: bool = False) -> str | None:
    """A mainland mobile (``13812345678``) or landline (``0730-8231234``, ``0730-8231234-801``,
    ``8231234``); with *allow_service* also hotlines (``12348``) and 400/800 numbers. None when empty."""
    text = half_width(value or "").strip()
    if not text:
        return None
    compact = re.sub(r"^(?:\+86|0086)", "", re.sub(r"[\s\-]", "", text))
    if MOBILE.fullmatch(compact):
        return compact
    if allow_service and SERVICE.fullmatch(compact):
        return compact
    landline = _landline(text)
    if landline is None:
        raise InvalidValue(_("Enter a mainland mobile number (11 digits starting with 1) or a landline "
                             "such as 0730-8231234."))
    return landline


_NAME_DOTS = re.compile(r"[·•・‧∙⋅・.]")


def normalise_name(name: str | None) -> str:
    """The form names are matched on: half-width, no spaces, one kind of middle dot, lower case."""
    text = half_width(name or "")
    text = _NAME_DOTS.sub("·", text)
    return re.sub(r"\s+", "", text).lower()


def clean_name(value: str | None, max_len: int = 100) -> str:
    text = re.sub(r"\s+", " ", (value or "").strip())
    if not text:
        raise InvalidValue(_("A name is required."))
    if has_bidi_control(text):
        raise InvalidValue(_("The name contains invisible text-direction characters."))
    if len(text) > max_len:
        raise InvalidValue(_("The name is longer than %(n)d characters.", n=max_len))
    return text
