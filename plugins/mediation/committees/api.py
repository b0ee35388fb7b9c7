"""``/committees`` (read): API blueprint ``mediation_api_committees``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel
from sqlalchemy import select

from core.toolkit import ApiBlueprint, Collection, PageQuery
from .models import Committee

api = ApiBlueprint("mediation_api_committees", __name__, tag="committees")


class MediatorOut(BaseModel):
    id: int
    name: str


class CommitteeOut(BaseModel):
    id: int
    name: str
    region_id: int
    region_code: str
    region_level: str
    mediators: list[MediatorOut]
    version: int

    @classmethod
    def of(cls, c: Committee) -> "CommitteeOut":
        return cls(id=c.id, name=c.name, region_id=c.region_id, region_code=c.region.code,
                   region_level=c.region.level, version=c.version,
                   mediators=[MediatorOut(id=u.id, name=u.display_name or u.username) for u in c.mediators])


committees = Collection(api, "committees", model=Committee, out=CommitteeOut, read="mediation.dispute.read",
                        region_column="region_id", serialize=CommitteeOut.of, tag="committees",
                        item_summary=_l("One mediation committee"))


@committees.list(summary=_l("Mediation committees in your scope (paged)"))
def list_committees(query: PageQuery):
    return select(Committee).order_by(Committee.id)
