"""The hearing time limits (domain.md §2), declared as data for the deadline engine. There is no
national hearing procedure: these are common local defaults; a province changes them in
``instance/concord.toml`` (``[deadlines."hearing.decide"] length = 7`` with its ``source``)."""
from flask_babel import lazy_gettext as _l

from core.calendar.rules import DeadlineRule

LOCAL = "江苏省信访事项听证办法（参照）"

RULES = [
    DeadlineRule("hearing.decide", 5, "working", "application_received", None, LOCAL,
                 _l("Decide on the hearing application")),
    DeadlineRule("hearing.hold", 30, "calendar", "application_accepted", None, LOCAL,
                 _l("Hold the hearing")),
    # a lead time, counted from the day of service: it must end no later than the hearing day
    DeadlineRule("hearing.notice_lead", 7, "calendar", "notice_served", None, "信访听证示范规则 第九条",
                 _l("Serve the hearing notices ahead of the hearing")),
    DeadlineRule("hearing.conclusion_spot", 10, "calendar", "conclusion_announced", None,
                 "信访听证示范规则 第二十五条", _l("Serve the conclusion announced at the hearing")),
    DeadlineRule("hearing.conclusion_later", 20, "calendar", "hearing_closed", None,
                 "信访听证示范规则 第二十五条", _l("Serve the conclusion reached after the hearing")),
]
