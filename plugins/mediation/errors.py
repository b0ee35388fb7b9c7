"""The mediation plugin's one error type (every module below the services raises it)."""
from __future__ import annotations

from core.toolkit import ServiceError


class MediationError(ServiceError):
    """The mediation plugin's ServiceError. A message about the dispute as a whole is kept under ``_`` (the
    API has always answered it as a 422 field), not ServiceError's ``""``."""

    def __init__(self, errors: dict[str, str] | str):
        super().__init__(errors if isinstance(errors, dict) else {"_": errors})
