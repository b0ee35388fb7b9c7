"""Mediation time limits (人民调解法 2010), declared as data for the deadline engine."""
from flask_babel import lazy_gettext as _l

from core.calendar.rules import DeadlineRule

RULES = [
    DeadlineRule("mediation.judicial_confirmation_apply", 30, "calendar", "agreement_effective", None,
                 "人民调解法 第三十三条", _l("Both parties apply to the court for judicial confirmation")),
]
