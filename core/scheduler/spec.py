"""``JobSpec``: what a plugin declares with ``ctx.job(JobSpec(...))``, and the trigger it runs on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from core import clock

# interval triggers count from a fixed origin, so every scheduler process computes the same fire
# times (a due occurrence is identified by job id + fire time, and runs once)
def _interval_origin() -> datetime:
    return datetime(2000, 1, 1, tzinfo=clock.tz())


def local_now() -> datetime:
    """Now in the product's zone (core.clock), naive, as stored in the job tables."""
    return clock.now()


def build_trigger(trigger: Any) -> BaseTrigger:
    """An APScheduler 3 trigger from a trigger object or ``{"cron": {...} | "m h dom mon dow"}``,
    ``{"interval": {"minutes": 5}}``, ``{"date": "2026-12-01T08:00:00"}``. Raises ValueError."""
    if isinstance(trigger, BaseTrigger):
        return trigger
    if not isinstance(trigger, dict) or len(trigger) != 1:
        raise ValueError("a job trigger is an APScheduler trigger or one of "
                         "{'cron': {...}}, {'interval': {...}}, {'date': ...}")
    (kind, args), = trigger.items()
    try:
        if kind == "cron":
            return CronTrigger.from_crontab(args, timezone=clock.tz()) if isinstance(args, str) else CronTrigger(timezone=clock.tz(), **args)
        if kind == "interval":
            return IntervalTrigger(**{"start_date": _interval_origin(), "timezone": clock.tz(), **args})
        if kind == "date":
            return DateTrigger(run_date=args, timezone=clock.tz()) if not isinstance(args, dict) else DateTrigger(timezone=clock.tz(), **args)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad {kind} trigger {args!r}: {exc}") from None
    raise ValueError(f"unknown trigger kind {kind!r}: use cron, interval or date")


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: ``func()`` runs inside an app context; its changes are committed once after it
    returns (rolled back if it raises). ``id`` is namespaced by the plugin (``petition.remind_due``).
    ``lease_seconds``: how long one run may hold the job's lease before another process may take over."""

    id: str
    func: Callable[[], Any]
    trigger: Any
    description: Any = ""
    lease_seconds: int = 900

    def __post_init__(self) -> None:
        if not callable(self.func):
            raise ValueError(f"job {self.id!r}: func is not callable")
        if not 1 <= self.lease_seconds <= 7 * 24 * 3600:
            raise ValueError(f"job {self.id!r}: lease_seconds out of range")
        object.__setattr__(self, "_trigger", build_trigger(self.trigger))

    def build_trigger(self) -> BaseTrigger:
        return self._trigger

    def describe_trigger(self) -> str:
        return str(self._trigger)

    def next_run(self, now: datetime | None = None) -> datetime | None:
        """The next fire time after *now* (naive local), or None when the trigger is done."""
        now = clock.localize(now or local_now())
        nxt = self._trigger.get_next_fire_time(None, now)
        return clock.to_local(nxt) if nxt else None
