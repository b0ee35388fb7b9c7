"""Hotspots (统计群众反映较多的问题): clusters of similar requests across plugins over a time window.

Items come from ``kpi.hotspot_source`` contributions. Two items join one cluster when they lie in the
same town (or the same village when looking at a town), carry the same category (when both have one)
and their texts overlap: character-bigram Dice ≥ ``THRESHOLD`` (Chinese text has no word breaks).
Clusters with at least ``MIN_ITEMS`` records rank by records, then people."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from core.db import db
from core.plugins.points import kpi_hotspot_source
from core.regions.models import Region
from core import clock

THRESHOLD = 0.4
MIN_ITEMS = 2


def grams(text: str | None) -> frozenset[str]:
    s = "".join(ch for ch in (text or "") if not ch.isspace() and ch not in "，。、；：,.;:!！?？")
    return frozenset(s[i:i + 2] for i in range(len(s) - 1)) or frozenset({s})


def dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / max(1, len(a) + len(b))


@dataclass
class Hotspot:
    place: Region | None
    category: str
    items: list[dict] = field(default_factory=list)
    grams: frozenset = frozenset()

    @property
    def people(self) -> int:
        return sum(i["people"] for i in self.items)

    @property
    def kinds(self) -> list[str]:
        return sorted({i["record_type"] for i in self.items})

    @property
    def title(self) -> str:
        return self.items[0]["text"][:60] if self.items else ""

    @property
    def first(self) -> datetime:
        return min(i["at"] for i in self.items)

    @property
    def last(self) -> datetime:
        return max(i["at"] for i in self.items)


def _place_of(region: Region, paths: dict[int, str], by_path: dict[str, Region]):
    """The unit items are compared within: the child of *region* an item lies in (its town when the
    region is a district), or the region itself."""
    depth = region.path.count("/")
    def place(region_id: int) -> Region | None:
        path = paths.get(region_id, "")
        parts = path.strip("/").split("/")
        want = depth  # number of codes of the child's path
        if len(parts) >= want:
            return by_path.get("/" + "/".join(parts[:want]) + "/", region)
        return region
    return place


def find(region: Region, start: datetime, end: datetime, region_ids: list[int] | None = None,
         threshold: float = THRESHOLD, min_items: int = MIN_ITEMS, viewer=None) -> list[Hotspot]:
    """Clusters of the records in the window; with *viewer*, only records that user may open take part
    (core.audit.access.only_visible), so no hotspot shows or counts a record its reader could not open."""
    host = current_app.extensions["concord"]
    items: list[dict] = []
    for c in host.items(kpi_hotspot_source):
        items.extend(c.value(start, end, region_ids))
    if viewer is not None:
        from core.audit.access import only_visible
        items = only_visible(viewer, items)
    if not items:
        return []
    rows = db.session.execute(select(Region.id, Region.path).where(Region.id.in_({i["region_id"] for i in items}))).all()
    paths = dict(rows)
    # every ancestor path that may be a place
    prefixes = set()
    for p in paths.values():
        parts = p.strip("/").split("/")
        prefixes.update("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
    by_path = {r.path: r for r in db.session.scalars(select(Region).where(Region.path.in_(prefixes)))}
    place = _place_of(region, paths, by_path)
    clusters: list[Hotspot] = []
    for item in sorted(items, key=lambda i: (i["at"], i["record_type"], i["id"])):
        g = grams(item["text"])
        p = place(item["region_id"])
        best, score = None, threshold
        for c in clusters:
            if c.place is not p or (c.category and item["category"] and c.category != item["category"]):
                continue
            s = dice(g, c.grams)
            if s >= score:
                best, score = c, s
        if best is None:
            best = Hotspot(p, item["category"], grams=g)
            clusters.append(best)
        item = {**item, "place": p}
        best.items.append(item)
        best.category = best.category or item["category"]
    hot = [c for c in clusters if len(c.items) >= min_items]
    hot.sort(key=lambda c: (-len(c.items), -c.people, c.title))
    return hot


def window(days: int, today: date | None = None) -> tuple[datetime, datetime]:
    today = today or clock.today()
    end = datetime(today.year, today.month, today.day) + timedelta(days=1)
    return end - timedelta(days=days), end


def weekly_digest(today: date | None = None) -> int:
    """Monday: each leader gets the five biggest hotspots of the last 30 days in their region."""
    from core.auth.models import Role, User
    from core.notifications.services import notify
    from .regions import root_for, subtree_ids
    start, end = window(30, today)
    sent = 0
    leaders = db.session.scalars(select(User).where(User.active.is_(True), User.roles.any(Role.code == "leader")))
    with force_locale("zh"):
        for leader in leaders:
            region = root_for(leader)
            if region is None:
                continue
            hot = find(region, start, end, subtree_ids(region), viewer=leader)[:5]
            if not hot:
                continue
            lines = [_("%(place)s · %(title)s: %(n)d records, %(people)d people", place=h.place.name if h.place else "",
                       title=h.title, n=len(h.items), people=h.people) for h in hot]
            sent += len(notify(leader, _("Weekly hotspots (%(day)s)", day=end.date().isoformat()),
                               body="\n".join(lines), url="/dashboard/hotspots"))
    return sent
