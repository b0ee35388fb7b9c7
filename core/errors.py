"""What every service raises for bad input or an illegal step, and the text check they all share.

``ServiceError.errors`` maps a field name (or ``""`` for the record as a whole) to a translated message;
web views flash or attach them to form fields, the API answers 422 (fields) or 409 (a step not possible
now) through ``core.api.run_service``."""
from __future__ import annotations

from flask_babel import gettext as _


class ServiceError(ValueError):
    def __init__(self, errors: dict[str, str] | str):
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        super().__init__("; ".join(str(v) for v in self.errors.values()))

    @property
    def message(self) -> str:
        """Every message in one line (for a flash or a log)."""
        return " ".join(str(m) for m in self.errors.values())


def clean_text(value, field: str, max_len: int, errors: dict, required: bool = True) -> str:
    """Trimmed text of at most *max_len* characters; a problem is recorded in *errors* under *field*."""
    if value is not None and not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > max_len:
        errors[field] = _("At most %(n)d characters.", n=max_len)
    return value
