"""The petition time limits of 信访工作条例 (2022), declared as data for the deadline engine."""
from flask_babel import lazy_gettext as _l

from core.toolkit import DeadlineRule

ACT = "信访工作条例"

RULES = [
    DeadlineRule("petition.register_forward", 15, "calendar", "registered", None, f"{ACT} 第二十二条",
                 _l("Forward or assign a registered petition")),
    DeadlineRule("petition.accept_notice", 15, "calendar", "received", None, f"{ACT} 第二十三条",
                 _l("Tell the petitioner in writing whether the matter is accepted")),
    DeadlineRule("petition.jurisdiction_objection", 5, "working", "received", None, f"{ACT} 第二十三条",
                 _l("Object that the matter lies outside the body's powers")),
    DeadlineRule("petition.handle", 60, "calendar", "accepted", 30, f"{ACT} 第三十四条",
                 _l("Handle the petition and reply in writing")),
    DeadlineRule("petition.review_request", 30, "calendar", "reply_received", None, f"{ACT} 第三十五条",
                 _l("Petitioner may request a review")),
    DeadlineRule("petition.review_decide", 30, "calendar", "review_received", None, f"{ACT} 第三十五条",
                 _l("Give the written review opinion")),
    DeadlineRule("petition.recheck_request", 30, "calendar", "review_reply_received", None, f"{ACT} 第三十六条",
                 _l("Petitioner may request a re-check")),
    DeadlineRule("petition.recheck_decide", 30, "calendar", "recheck_received", None, f"{ACT} 第三十六条",
                 _l("Give the written re-check opinion (hearing time not counted)")),
]
