"""Extension points, each declared once as an object with its payload and a docstring.

Two kinds (Indico's signals and Datasette's hookspecs are the models):

* a **signal** is sent by its owner and received by any plugin: ``point.send(sender, **payload)`` in the
  sender, ``ctx.connect(point, fn)`` in the receiver (``fn(sender, **payload)``; what it returns comes back
  to the sender as ``[(fn, result), …]``);
* a **contribution** is a kind of value plugins add and its owner reads:
  ``ctx.contribute(point, "<plugin>.<name>", value)`` and ``host.items(point)``.

Core declares its own points here. A plugin declares its points in its own ``points.py`` and registers
them with ``ctx.points(module)`` (names namespaced by the plugin), so a new plugin never touches core.
Receivers and contributions to a point nobody declared fail at start-up; ``concord plugins`` lists every
point with its owner, senders and receivers; ``tests/test_points.py`` fails on a point sent without a
declaration or declared and never used.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SIGNAL = "signal"
CONTRIBUTION = "contribution"


@dataclass(frozen=True, eq=False)
class Point:
    """An extension point. ``payload``: for a signal, the sender and each keyword argument with its type
    (a keyword not listed is refused when sent); for a contribution, the type of the value."""
    name: str
    kind: str = SIGNAL
    payload: dict[str, str] | str = field(default_factory=dict)
    doc: str = ""
    label: Any = ""       # how the Apps page names the contributions of this kind
    owner: str = ""       # filled in when registered

    def __post_init__(self):
        if self.kind not in (SIGNAL, CONTRIBUTION):
            raise ValueError(f"point {self.name!r}: kind must be {SIGNAL!r} or {CONTRIBUTION!r}")

    def send(self, sender=None, **kwargs) -> list[tuple[Any, Any]]:
        """Send the signal to every receiver; returns ``[(receiver, result), …]``."""
        if self.kind != SIGNAL:
            raise TypeError(f"point {self.name!r} is a contribution, not a signal")
        allowed = set(self.payload) - {"sender"} if isinstance(self.payload, dict) else set()
        unknown = set(kwargs) - allowed
        if unknown:
            raise TypeError(f"point {self.name!r} has no payload field {', '.join(sorted(unknown))}")
        _check_declared(self)
        from core.signals import signal
        return signal(self.name).send(sender, **kwargs)

    def __repr__(self) -> str:
        return f"Point({self.name!r}, {self.kind})"


def _check_declared(point: Point) -> None:
    """Inside an app, a point must have been registered by its owner (catches an ad-hoc Point)."""
    from flask import current_app, has_app_context
    if has_app_context():
        host = current_app.extensions.get("concord")
        if host is not None and host.points.get(point.name) is not point:
            from .errors import PluginError
            raise PluginError(f"point {point.name!r} is sent but not declared (ctx.points)")


def points_of(module) -> list[Point]:
    """The points a points module declares (its module-level ``Point`` objects)."""
    return [v for v in vars(module).values() if isinstance(v, Point)]


# -- core's own points ------------------------------------------------------------------------------
calendar_changed = Point(
    "core.calendar_changed", payload={"sender": "None", "years": "set[int]"},
    doc="The holiday table changed for these years; core has already recomputed the open deadlines. "
        "A plugin that caches dates derived from the calendar refreshes them.")

sync = Point(
    "sync", CONTRIBUTION, payload="Callable[[], str]",
    doc="Reference data owned by code, written after every ``concord db upgrade`` (idempotent; returns a "
        "one-line summary). Example: the default channel list.")

notification_channel = Point(
    "notification_channel", CONTRIBUTION, payload="object with send(notification)",
    doc="A delivery channel besides the in-app inbox (SMS gateway, e-mail): ``send(notification)`` is called "
        "for every notification, inside the sender's transaction.")

kpi_measure = Point(
    "kpi.measure", CONTRIBUTION, payload="core.kpi.Measure",
    doc="A count KPIs, charts, the region breakdown and the monthly report are made of; how it shows is "
        "declared on it (chart, rate, column, section). See core/kpi/measures.py.")

kpi_default = Point(
    "kpi.default", CONTRIBUTION, payload="core.kpi.KpiDefault",
    doc="A KPI definition seeded once from the plugin's measures; administrators edit it afterwards.")

kpi_hotspot_source = Point(
    "kpi.hotspot_source", CONTRIBUTION,
    payload="fn(start, end, region_ids) -> iterable of {record_type, id, reference, region_id, category, "
            "text, people, at}",
    doc="Records the hotspot analysis clusters by place and category.")

record_moved = Point(
    "core.record_moved",
    payload={"sender": "the record", "workflow": "str", "action": "str", "source": "str", "target": "str"},
    doc="A record moved through a declared workflow step (core/workflow.py), after its stage was set and the "
        "step audited, inside the step's transaction.")

CORE_POINTS = [calendar_changed, record_moved, sync, notification_channel, kpi_measure, kpi_default, kpi_hotspot_source]
