"""A REST collection in a few declarations (contract §5): ``GET /x`` (paged, filtered, scoped),
``GET /x/{id}``, ``POST /x``, ``PATCH /x/{id}`` (optimistic lock), ``POST /x/{id}/actions/{action}``.

    visits = Collection(api, "visits", model=Visit, out=VisitOut, read="visits.visit.read",
                        region_column="region_id")

    @visits.list(query=VisitQuery)                 # return a select; it is scoped and paged for you
    def _(query): return select(Visit).order_by(Visit.id.desc())

    @visits.create(body=VisitIn, permission="visits.visit.create")
    def _(body): return services.create_visit(body)          # → 201 with the record

    @visits.update(body=VisitPatch, permission="visits.visit.edit")   # VisitPatch(VersionedPatch)
    def _(record, body): services.update_visit(record, body.changes())

    @visits.action("close", body=CloseIn, permission="visits.visit.close", summary=_l("Close"))
    def _(record, body): services.close_visit(record, body.reason)

Every item route loads the record with ``get_or_404_in_scope`` (outside the caller's region: 404) and
answers with the record read through *out* (or ``serialize(record)`` when given, e.g. for masking).
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from core.calendar.deadlines import deadline_batch
from core.db import db
from .helpers import check_version, get_or_404_in_scope, paginate, scoped
from .routes import ApiBlueprint
from .schemas import Page, PageQuery


class Collection:
    def __init__(self, api: ApiBlueprint, name: str, *, model, out, read: str | tuple[str, ...],
                 region_column=None, serialize: Callable[[Any], Any] | None = None,
                 tag: str | None = None, item_summary: Any = None):
        self.api, self.name, self.model, self.out, self.read = api, name, model, out, read
        self.region_column = region_column
        self.serialize = serialize or (lambda record: record)
        self.tag = (tag or name,)
        self.key = name.replace("-", "_")
        self.path = f"/{name}"
        self.item_rule = f"/{name}/<int:id>"
        self.actions: list[str] = []
        self._item_ext = {"x-concord-actions": self.actions}
        self._register_get(item_summary)

    def load(self, id: int):
        return get_or_404_in_scope(self.model, id, self.region_column)

    def _shape(self, record):
        db.session.flush()
        return self.serialize(record)

    def _register_get(self, summary) -> None:
        @self.api.operation("GET", self.item_rule, summary=summary or _l("Read one record"), permission=self.read,
                            tags=self.tag, response=self.out, endpoint=f"{self.key}_get",
                            extensions=self._item_ext)
        def get_item(id: int):
            return self.serialize(self.load(id))

    def list(self, *, query: type[PageQuery] = PageQuery, summary: Any = None, permission=None,
             description: Any = ""):
        """``fn(query)`` returns a ``select`` of the model, filtered and ordered; it is scoped and paged."""
        def decorator(fn):
            @self.api.operation("GET", self.path, summary=summary or _l("List records (paged)"),
                                permission=permission or self.read, tags=self.tag, query=query,
                                response=Page[self.out], endpoint=f"{self.key}_list", description=description)
            def list_items(query):
                from flask import g
                from core.audit.masking import LISTING
                # lists deliver masked personal data unless ?reveal=<purpose> (core.audit.masking.list_purpose)
                setattr(g, LISTING, (getattr(query, "reveal", None) or "").strip())
                page = paginate(scoped(fn(query), self.model, self.region_column), query)
                with deadline_batch(page["items"]):       # one query for every listed record's clocks
                    page["items"] = [self.serialize(r) for r in page["items"]]
                return page
            return fn
        return decorator

    def create(self, *, body, permission, summary: Any = None, description: Any = ""):
        """``fn(body)`` creates and returns the record (the caller's scope is the service's to check)."""
        def decorator(fn):
            @self.api.operation("POST", self.path, summary=summary or _l("Create a record"), permission=permission,
                                tags=self.tag, body=body, response=self.out, status=201,
                                endpoint=f"{self.key}_create", description=description)
            def create_item(body):
                return self._shape(fn(body))
            return fn
        return decorator

    def update(self, *, body, permission, summary: Any = None, description: Any = ""):
        """``fn(record, body)`` applies ``body.changes()``; the version was checked before (stale → 409)."""
        def decorator(fn):
            @self.api.operation("PATCH", self.item_rule, summary=summary or _l("Change a record"),
                                permission=permission, tags=self.tag, body=body, response=self.out,
                                endpoint=f"{self.key}_update", description=description)
            def update_item(id: int, body):
                record = self.load(id)
                check_version(record, body.version)
                result = fn(record, body)
                return self._shape(record if result is None else result)
            return fn
        return decorator

    def action(self, name: str, *, permission, summary: Any, body=None, response=None,
               description: Any = ""):
        """``POST /x/{id}/actions/<name>``: ``fn(record, body)`` (``fn(record)`` without a body model).
        A body with a ``version`` field is checked against the record first (stale → 409)."""
        if name in self.actions:
            raise ValueError(f"collection {self.name}: action {name!r} declared twice")
        self.actions.append(name)

        def decorator(fn):
            @self.api.operation("POST", f"{self.item_rule}/actions/{name}", summary=summary, permission=permission,
                                tags=self.tag, body=body, response=response or self.out,
                                endpoint=f"{self.key}_action_{name.replace('-', '_')}", description=description,
                                extensions={"x-concord-action": name})
            def run_action(id: int, body=None):
                record = self.load(id)
                if body is not None and getattr(body, "version", None) is not None:
                    check_version(record, body.version)
                result = fn(record, body) if body is not None else fn(record)
                return self._shape(record) if result is None else result
            return fn
        return decorator
