"""The OpenAPI 3.1 document of /api/v1, assembled from every declared API operation (core's and each
plugin's ``ctx.api`` blueprints). Self-contained: every schema lives in ``components`` (pydantic's
``$defs`` become ``components/schemas``), every ``$ref`` is internal, ``servers`` is relative."""
from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import get_locale, gettext as _
from pydantic import TypeAdapter

from .routes import ApiRoute
from .schemas import Error, PageQuery

PREFIX = "/api/v1"
_RULE_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_CONVERTER_SCHEMA = {
    "int": {"type": "integer", "minimum": 0}, "float": {"type": "number"},
    "uuid": {"type": "string", "format": "uuid"},
}
_ERRORS = {  # status → (component name, description)
    400: ("BadRequest", lambda: _("The body is not valid JSON.")),
    401: ("Unauthorized", lambda: _("Sign in first: send a valid bearer token.")),
    403: ("Forbidden", lambda: _("Your role may not do this.")),
    404: ("NotFound", lambda: _("No such record, or it lies outside your region.")),
    409: ("Conflict", lambda: _("The record was changed by someone else; reload it and try again.")),
    413: ("TooLarge", lambda: _("The request is too large.")),
    415: ("UnsupportedMediaType", lambda: _("Send JSON (Content-Type: application/json).")),
    422: ("Invalid", lambda: _("Some fields are not valid.")),
}


def document(app=None) -> dict:
    """The document in the current language, built once per language and app."""
    app = app or current_app
    cache = app.extensions.setdefault("concord_openapi", {})
    lang = str(get_locale() or app.config.get("BABEL_DEFAULT_LOCALE", "zh"))
    if lang not in cache:
        cache[lang] = build(app)
    return cache[lang]


def declared_routes(app) -> tuple[list[tuple[str, ApiRoute]], list[str]]:
    """(path, route) for each declared API operation; and the endpoints under /api/v1 declaring none."""
    found, undeclared = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        meta = getattr(app.view_functions.get(rule.endpoint), "_concord_api", None)
        if meta is None:
            undeclared.append(rule.endpoint)
        else:
            found.append((rule.rule[len(PREFIX):], meta))
    return found, undeclared


def _text(value: Any) -> str:
    return str(value) if value else ""


def _schemas(routes: list[ApiRoute]) -> tuple[dict, dict]:
    """JSON Schemas of every body, query and response type, with refs into components/schemas."""
    inputs, index = [], {}
    for route in routes:
        for kind, typ, mode in (("body", route.body, "validation"), ("query", route.query, "validation"),
                                ("response", route.response, "serialization")):
            if typ is None:
                continue
            key = (kind, id(typ))
            if key not in index:
                index[key] = len(inputs)
                inputs.append((len(inputs), mode, TypeAdapter(typ)))
    index[("error", 0)] = len(inputs)
    inputs.append((len(inputs), "serialization", TypeAdapter(Error)))
    mapping, top = TypeAdapter.json_schemas(inputs, ref_template="#/components/schemas/{model}")
    refs = {key: mapping[(i, inputs[i][1])] for key, i in index.items()}
    return refs, _local_times(top.get("$defs", {}))


_LOCAL_DATETIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$",
                   "description": "ISO 8601 date-time in local time (Asia/Shanghai), no offset"}


def _local_times(node):
    """Every time the API writes is local time without an offset (contract §5); JSON Schema's
    ``format: date-time`` demands an offset, so such fields are described by their real pattern instead."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "date-time":
            extra = {k: v for k, v in node.items() if k not in ("type", "format")}
            return {**_LOCAL_DATETIME, **extra}
        return {k: _local_times(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_local_times(v) for v in node]
    return node


def _resolve(schema: dict, defs: dict) -> dict:
    ref = schema.get("$ref", "")
    return defs.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def _not_null(schema: dict) -> dict:
    """A query parameter is absent rather than null: drop the null branch of an optional field."""
    options = [o for o in schema.get("anyOf", ()) if o.get("type") != "null"]
    if "anyOf" in schema and len(options) == 1:
        schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **options[0]}
    if schema.get("default", 0) is None:
        del schema["default"]
    return schema


def _parameters(path: str, route: ApiRoute, refs: dict, defs: dict) -> list[dict]:
    params = []
    for conv, name in _RULE_PARAM.findall(PREFIX + path):
        params.append({"name": name, "in": "path", "required": True,
                       "schema": dict(_CONVERTER_SCHEMA.get(conv, {"type": "string"})),
                       **({"description": _text(route.path_params[name])} if name in route.path_params else {})})
    if route.query is not None:
        schema = _resolve(refs[("query", id(route.query))], defs)
        required = set(schema.get("required", ()))
        paged = issubclass(route.query, PageQuery)
        for name, prop in schema.get("properties", {}).items():
            if paged and name in PageQuery.model_fields:
                params.append({"$ref": f"#/components/parameters/{name}"})
                continue
            prop = _not_null({k: v for k, v in prop.items() if k != "title"})
            description = prop.pop("description", None)
            param = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if description:
                param["description"] = description
            if prop.get("type") == "array":
                param.update(style="form", explode=True)
            params.append(param)
    return params


def _operation(path: str, route: ApiRoute, refs: dict, defs: dict) -> dict:
    op: dict[str, Any] = {"operationId": route.endpoint, "summary": _text(route.summary)}
    if route.description:
        op["description"] = _text(route.description)
    if route.tags:
        op["tags"] = list(route.tags)
    params = _parameters(path, route, refs, defs)
    if route.method != "GET" and route.access != "public":
        params.append({"$ref": "#/components/parameters/Idempotency-Key"})
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[("body", id(route.body))]}}}
    ok: dict[str, Any] = {"description": _("Success")}
    if route.status != 204:
        if route.produces != "application/json":
            ok["content"] = {route.produces: {"schema": {"type": "string", "contentMediaType": route.produces}}}
        else:
            schema = refs[("response", id(route.response))] if route.response is not None else {}
            ok["content"] = {"application/json": {"schema": schema}}
    responses: dict[str, Any] = {str(route.status): ok}
    statuses = set()
    if route.access != "public":
        statuses.add(401)
    if route.access == "permission":
        statuses.add(403)
    if "{" in _RULE_PARAM.sub("{}", path):
        statuses.add(404)
    if route.method != "GET" and route.access != "public":
        statuses |= {409, 422}          # 422 also for a malformed or reused Idempotency-Key
    if route.body is not None:
        statuses |= {400, 413, 415, 422}
    if route.query is not None:
        statuses.add(422)
    for status in sorted(statuses):
        responses[str(status)] = {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}
    op["responses"] = responses
    for status in route.errors:
        responses.setdefault(str(status), {"$ref": f"#/components/responses/{_ERRORS[status][0]}"})
    if route.access == "public":
        op["security"] = []
    else:
        op["x-concord-permission"] = list(route.permission) if route.permission else "signed-in"
    op.update(route.extensions)
    return op


def _info_description() -> str:
    return _(
        "Authenticate with POST /auth/token and send Authorization: Bearer TOKEN (the session cookie "
        "of the web interface is not accepted). Errors are JSON {\"error\": {\"code\", \"message\", "
        "\"fields\"}}, messages in the language asked for with ?lang= or Accept-Language (default "
        "Chinese). Collections are paged with ?page= and ?per_page= and answer {\"items\", \"page\", "
        "\"per_page\", \"total\"}. Times are local (Asia/Shanghai) ISO 8601: 2026-11-02T09:30:00; a date "
        "alone is accepted where a date suffices. PATCH bodies carry the version that was read; a stale "
        "version answers 409. A record outside the caller's region answers 404.")


def build(app) -> dict:
    found, _undeclared = declared_routes(app)
    refs, defs = _schemas([r for _p, r in found])
    components: dict[str, Any] = {"schemas": dict(defs)}
    paths: dict[str, dict] = {}
    for path, route in found:
        openapi_path = _RULE_PARAM.sub(lambda m: "{" + m.group(2) + "}", path)
        paths.setdefault(openapi_path, {})[route.method.lower()] = _operation(path, route, refs, defs)
    page_schema = PageQuery.model_json_schema()["properties"]
    components["parameters"] = {
        name: {"name": name, "in": "query", "required": False,
               "description": page_schema[name].get("description", ""),
               "schema": _not_null({k: v for k, v in page_schema[name].items() if k not in ("title", "description")})}
        for name in ("page", "per_page", "reveal")
    }
    components["parameters"]["Idempotency-Key"] = {
        "name": "Idempotency-Key", "in": "header", "required": False,
        "description": _("Optional. A repeat with the same key within 24 hours answers the first request's status "
                         "and body (header Idempotent-Replayed: true) and changes nothing; the same key with "
                         "another body answers 422. A POST body's client_uuid serves as the key when this "
                         "header is absent."),
        "schema": {"type": "string", "pattern": "^[0-9A-Za-z_.:-]{1,100}$"}}
    error_ref = refs[("error", 0)]
    components["responses"] = {
        name: {"description": describe(), "content": {"application/json": {"schema": error_ref}}}
        for name, describe in _ERRORS.values()
    }
    components["securitySchemes"] = {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                    "description": _("A token from POST /auth/token")}}
    tags = sorted({t for _p, r in found for t in r.tags})
    return {
        "openapi": "3.1.0",
        "info": {"title": _("Concord API"), "version": "1", "description": _info_description()},
        "servers": [{"url": PREFIX}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": components,
    }
