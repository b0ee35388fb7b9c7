"""Mediation time limits (人民调解法 2010 and local rules), declared as data for the deadline engine.
A province or city changes a length in instance/concord.toml ([deadlines."mediation.period"])."""
from flask_babel import lazy_gettext as _l

from core.toolkit import DeadlineRule

RULES = [
    DeadlineRule("mediation.judicial_confirmation_apply", 30, "calendar", "agreement_effective", None,
                 "人民调解法 第三十三条", _l("Both parties apply to the court for judicial confirmation")),
    DeadlineRule("mediation.period", 30, "calendar", "mediation_started", 30,
                 "宁波市人民调解条例 第二十七条；深圳经济特区矛盾纠纷多元化解条例 第二十五条",
                 _l("Mediation concluded (longer with the parties' consent)")),
    DeadlineRule("mediation.follow_up_visit", 10, "working", "dispute_closed", None,
                 "地方实践（无法定期限；挂销号后回访的常见做法，按本地规定调整）",
                 _l("Follow-up visit (回访) after closing")),
]
