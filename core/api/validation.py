"""Reading requests: JSON bodies and query strings validated by pydantic models, errors as 400/415/422.

A 422 answer names each failing field (``"parties.0.name"``; ``"_body"`` for the body as a whole) with a
message in the user's language. The same models give the OpenAPI document its request schemas.
"""
from __future__ import annotations

import json
import typing
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from .errors import ApiError, invalid  # noqa: F401  (invalid: re-exported, it used to live here)

BODY_FIELD = "_body"


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, float)) else str(value)


def _message(err: dict) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("Required.")
    if kind in ("string_type", "string_sub_type", "string_unicode"):
        return _("Must be text.")
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _("Must be a whole number.")
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"):
        return _("Must be a number.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Must be true or false.")
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return _("Must be a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        return _("Must be an object.")
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return _("Must not be empty.") if n == 1 else _("Must have at least %(n)s characters.", n=n)
    if kind == "string_too_long":
        return _("Must have at most %(n)s characters.", n=ctx.get("max_length"))
    if kind == "too_short":
        return _("Must have at least %(n)s items.", n=ctx.get("min_length"))
    if kind == "too_long":
        return _("Must have at most %(n)s items.", n=ctx.get("max_length"))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = _plain(next(iter(ctx.values()), ""))
        return {
            "greater_than_equal": lambda: _("Must be at least %(n)s.", n=bound),
            "greater_than": lambda: _("Must be greater than %(n)s.", n=bound),
            "less_than_equal": lambda: _("Must be at most %(n)s.", n=bound),
            "less_than": lambda: _("Must be less than %(n)s.", n=bound),
        }[kind]()
    if kind in ("literal_error", "enum"):
        return _("Unknown code; expected one of: %(codes)s.", codes=str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", "))
    if kind == "string_pattern_mismatch":
        return _("Has the wrong format.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind.startswith("date") and not kind.startswith("datetime"):
        return _("Not a valid date (YYYY-MM-DD).")
    if kind.startswith("datetime") or kind.startswith("time"):
        return _("Not a valid date and time (YYYY-MM-DDTHH:MM:SS).")
    if kind == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])
    if kind == "api_error":
        return str(ctx.get("message") or err.get("msg"))
    return _("Not a valid value.")


def _field_name(loc: tuple) -> str:
    # union members and validator wrappers appear in loc as e.g. "function-after[...]": not field names
    parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or "(" in p))]
    return ".".join(parts) or BODY_FIELD


def error_fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        fields.setdefault(_field_name(err.get("loc", ())), _message(err))
    return fields


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def read_body(model: type[BaseModel]) -> BaseModel:
    """The request's JSON body validated by *model*. No body at all counts as ``{}``."""
    limit = current_app.config.get("API_MAX_JSON_BYTES", 2 * 1024 * 1024)
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413)
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise ApiError(413)
    if not raw.strip():
        data: Any = {}
    elif not _is_json(request.mimetype or ""):
        raise ApiError(415)
    else:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise ApiError(400, "malformed_json", _("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise invalid({BODY_FIELD: _("Send a JSON object.")})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(error_fields(exc)) from None


def _list_fields(model: type[BaseModel]) -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        origins = {typing.get_origin(ann)} | {typing.get_origin(a) for a in typing.get_args(ann)}
        if origins & {list, set, tuple}:
            out.add(info.alias or name)
    return out


def read_query(model: type[BaseModel]) -> BaseModel:
    """The query string validated by *model* (unknown parameters such as ``lang`` are ignored)."""
    lists = _list_fields(model)
    data = {key: (request.args.getlist(key) if key in lists else request.args.get(key))
            for key in request.args if len(key) <= 100 and request.args.get(key) != ""}  # empty = absent
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(error_fields(exc)) from None
