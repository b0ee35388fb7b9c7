"""Masked display of personal data in lists (a list never shows ID or phone numbers in full; the
person page reveals them, audited, to users who may read them)."""
from __future__ import annotations


def _fallback(value, head: int, tail: int):
    text = str(value or "")
    if not text:
        return text
    return text[:head] + "*" * max(0, len(text) - head - tail) + text[-tail:] if len(text) > head + tail \
        else "*" * len(text)


def masked_id_number(value):
    try:
        from core.audit.masking import mask_id_number
    except ImportError:  # TODO: drop the fallback once core.audit is always installed
        return _fallback(value, 4, 4)
    return mask_id_number(value)


def masked_phone(value):
    try:
        from core.audit.masking import mask_phone
    except ImportError:  # TODO: drop the fallback once core.audit is always installed
        return _fallback(value, 3, 4)
    return mask_phone(value)
