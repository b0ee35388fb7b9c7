"""Named signals: plugins talk to each other by signal name, never by importing each other.

Documented signals (sender, kwargs):
- ``petition.statutory_channel`` (petition case, channel=code): a petition belongs to a legal channel.
- ``mediation.escalate_to_legal`` (dispute, channel=code): a failed dispute goes to a legal channel.
- ``core.calendar_changed`` (None, years=set): the holiday table changed; open deadlines recompute.
"""
from blinker import Namespace

_signals = Namespace()


def signal(name: str):
    return _signals.signal(name)
