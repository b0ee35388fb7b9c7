"""The petition plugin's extension points (see core/plugins/points.py). Other plugins import this module
only, never the petition plugin's models or services."""
from flask_babel import lazy_gettext as _l

from core.toolkit import CONTRIBUTION, Point

statutory_channel = Point(
    "petition.statutory_channel", payload={"sender": "PetitionCase", "channel": "str"},
    doc="A petition was found to belong to a statutory channel (诉访分离): courts, arbitration, "
        "reconsideration… The receiver opens the matching referral.")

case_link = Point(
    "petition.case_link", CONTRIBUTION, payload="fn(case, user) -> {label, url, …} or None",
    label=_l("Links on petition pages"),
    doc="A link shown on a backlog case (包案) to another plugin's record about it, or the way to open one "
        "(e.g. request a hearing). The first contribution that answers wins.")

status_lookup = Point(
    "petition.status_lookup", payload={"sender": "None", "code": "str"},
    doc="The public /status page got a code that is no petition's 查询码: a receiver that knows the code (e.g. a "
        "one-stop centre's case code) returns {code, stage, matters: [{kind, stage, summary}], rating?: {url, "
        "choices, open, done}} — never a name, ID number or phone; others return None.")
