"""The mediation plugin's extension points (see core/plugins/points.py).

A police referral (人民调解法 Art 25) is recorded as the audit event ``mediation.refer_police`` on the
dispute; it used to be sent as a signal too, which nothing received, so that signal is gone."""
from core.toolkit import Point

escalate_to_legal = Point(
    "mediation.escalate_to_legal", payload={"sender": "Dispute", "channel": "str"},
    doc="Mediation failed and the parties are sent to a legal channel (court, arbitration…); the receiver "
        "opens the matching referral.")
