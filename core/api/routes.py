"""Declared API operations: one decorator records everything the OpenAPI document says about a route
and makes the route do exactly that (validate the query and body with the declared models, check the
declared permission, shape the answer with the declared response model, commit once).

    api = ApiBlueprint("visits_api", __name__, tag="visits")

    @api.operation("POST", "/visits", summary=_l("Record a visit"), permission="visits.visit.create",
                   body=VisitIn, response=VisitOut, status=201)
    def create_visit(body: VisitIn):
        return services.record_visit(**body.model_dump())

The view receives the path parameters, ``query=`` (an instance of *query*) and ``body=`` (an instance of
*body*) and returns a model, an ORM object (read through *response* with ``from_attributes``), a dict, a
``(value, status)`` pair or a ready ``Response``. Non-GET operations are flushed, answered, then committed
once; an ``IntegrityError`` answers 409 and a stale version 409 (core.app maps ``StaleDataError``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, TypeAdapter
from pydantic_core import to_jsonable_python
from sqlalchemy.exc import IntegrityError

from core.auth.guard import login_only, public, require
from core.concurrency import idempotency
from core.db import db
from .errors import ApiError
from .validation import read_body, read_query

_CONVERTER_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass
class ApiRoute:
    """What one API operation declares; kept on the view as ``view._concord_api``."""

    method: str
    rule: str
    summary: Any
    permission: tuple[str, ...] = ()
    access: str = "permission"          # permission | public | login
    tags: tuple[str, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    description: Any = ""
    produces: str = "application/json"
    path_params: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    endpoint: str = ""
    errors: tuple[int, ...] = ()        # further error statuses the operation answers (documented)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        if self.method not in METHODS:
            raise ValueError(f"API operation {self.rule}: unknown method {self.method}")
        if self.access == "permission" and not self.permission:
            raise ValueError(f"API operation {self.method} {self.rule} declares no permission "
                             "(give permission=, public=True or login=True)")
        self._adapter = TypeAdapter(self.response) if self.response is not None else None

    def path_parameters(self) -> list[tuple[str, str]]:
        """(name, converter) for each ``<conv:name>`` in the rule."""
        return [(name, conv or "string") for conv, name in _CONVERTER_RE.findall(self.rule)]

    def openapi_path(self) -> str:
        return _CONVERTER_RE.sub(lambda m: "{" + m.group(2) + "}", self.rule)

    def shape(self, value: Any) -> Any:
        if self._adapter is None:
            return to_jsonable_python(value)
        if not isinstance(value, BaseModel) or not isinstance(self.response, type) or not isinstance(value, self.response):
            value = self._adapter.validate_python(value, from_attributes=True)
        return self._adapter.dump_python(value, mode="json")


def _answer(route: ApiRoute, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    status = route.status
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], int):
        result, status = result
    if status == 204:
        return Response(status=204)
    response = jsonify(route.shape(result))
    response.status_code = status
    return response


def api_view(fn: Callable, route: ApiRoute) -> Callable:
    """Wrap *fn* so that it reads, checks and answers as *route* declares."""

    @wraps(fn)
    def view(**path):
        kwargs = dict(path)
        if route.query is not None:
            kwargs["query"] = read_query(route.query)
        if route.body is not None:
            kwargs["body"] = read_body(route.body)
        if request.method == "GET":
            return _answer(route, fn(**kwargs))
        claim = idempotency.begin_api()          # Idempotency-Key / client_uuid: a repeat answers the first outcome
        if isinstance(claim, Response):
            return claim
        try:
            result = fn(**kwargs)
            db.session.flush()
            response = _answer(route, result)
            if claim is not None and idempotency.replayable(response):
                idempotency.finish_in_session(claim, response)   # the outcome commits with the record
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise ApiError(409, "duplicate", _("This conflicts with an existing record.")) from None
        idempotency.api_committed(claim if claim is not None and idempotency.replayable(response) else None)
        return response

    if route.access == "public":
        view = public(view)
    elif route.access == "login":
        view = login_only(view)
    else:
        view = require(*route.permission)(view)
    view._concord_api = route
    return view


class ApiBlueprint(Blueprint):
    """A Blueprint whose routes are declared API operations (``ctx.api(bp)`` mounts it at /api/v1).
    Rules are written in full from /api/v1 on (``/visits/<int:id>``)."""

    def __init__(self, name: str, import_name: str, tag: str | None = None, **kwargs):
        super().__init__(name, import_name, **kwargs)
        self.tag = tag

    def operation(self, method: str, rule: str, *, summary: Any, permission: str | tuple[str, ...] | None = None,
                  public: bool = False, login: bool = False, tags: tuple[str, ...] | list[str] | None = None,
                  body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
                  response: Any = None, status: int = 200, description: Any = "",
                  produces: str = "application/json", path_params: dict[str, Any] | None = None,
                  endpoint: str | None = None, extensions: dict[str, Any] | None = None,
                  errors: tuple[int, ...] = ()):
        perms = (permission,) if isinstance(permission, str) else tuple(permission or ())
        access = "public" if public else "login" if login else "permission"
        route = ApiRoute(method, rule, summary, perms, access,
                         tuple(tags) if tags is not None else ((self.tag,) if self.tag else ()),
                         body, query, response, status, description, produces, dict(path_params or {}),
                         dict(extensions or {}))
        route.errors = tuple(errors)

        def decorator(fn: Callable) -> Callable:
            route.endpoint = f"{self.name}.{endpoint or fn.__name__}"
            self.add_url_rule(rule, endpoint or fn.__name__, api_view(fn, route), methods=[route.method])
            return fn

        return decorator
