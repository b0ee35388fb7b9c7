"""The hearing time limits (domain.md §2), declared as data for the deadline engine.

There is no national hearing procedure: 信访工作条例 Arts 31(6) and 36 allow a hearing and say only
that its time is not counted in the re-check period; each province or city issues its own 听证办法.
So every length here is *local practice*, and each rule's basis says so plainly instead of citing an
article nobody can look up. A province sets its own in ``instance/concord.toml``
(``[deadlines."hearing.decide"] length = 7``, ``unit = "working"``, with its ``source`` clause)."""
from flask_babel import lazy_gettext as _l

from core.toolkit import DeadlineRule

LOCAL = "地方实践（无全国性规定；{}，按本省听证办法调整）"

RULES = [
    DeadlineRule("hearing.decide", 5, "working", "application_received", None,
                 LOCAL.format("常见为收到申请之日起5个工作日内决定"),
                 _l("Decide on the hearing application")),
    DeadlineRule("hearing.hold", 30, "calendar", "application_accepted", None,
                 LOCAL.format("常见为决定听证之日起30日内举行"),
                 _l("Hold the hearing")),
    # a lead time, counted from the day of service: it must end no later than the hearing day
    DeadlineRule("hearing.notice_lead", 7, "calendar", "notice_served", None,
                 LOCAL.format("常见为举行听证7日前送达通知"),
                 _l("Serve the hearing notices ahead of the hearing")),
    DeadlineRule("hearing.conclusion_spot", 10, "calendar", "conclusion_announced", None,
                 LOCAL.format("常见为当场宣布结论的10日内送达"), _l("Serve the conclusion announced at the hearing")),
    DeadlineRule("hearing.conclusion_later", 20, "calendar", "hearing_closed", None,
                 LOCAL.format("常见为听证结束后20日内送达"), _l("Serve the conclusion reached after the hearing")),
]
