"""GET /api/v1/openapi.json: public, valid OpenAPI 3.1, self-contained, and its request schemas are the
ones the API validates with."""
import json

import pytest
from openapi_spec_validator import validate

from conftest import IsolatedClient


@pytest.fixture
def app(make_app):
    from test_api_plugin import manifest
    from core.plugins.registry import discover
    app = make_app(plugins=list(discover().values()) + [manifest])  # every installed plugin + the test one
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app


def _refs(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                out.append(value)
            else:
                _refs(value, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out)
    return out


def _keys(node, out):
    if isinstance(node, dict):
        out.update(node)
        for value in node.values():
            _keys(value, out)
    elif isinstance(node, list):
        for value in node:
            _keys(value, out)
    return out


def _resolve(doc, ref):
    node = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_openapi_document_is_public_valid_and_self_contained(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.get_json()
    validate(doc)  # raises on an invalid OpenAPI 3.1 document
    assert doc["openapi"].startswith("3.1") and doc["servers"] == [{"url": "/api/v1"}]
    refs = _refs(doc, [])
    assert refs and all(r.startswith("#/components/") for r in refs), [r for r in refs if not r.startswith("#/")]
    for ref in set(refs):
        _resolve(doc, ref)  # KeyError on a dangling ref
    assert "$defs" not in _keys(doc, set())
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert doc["paths"]["/auth/token"]["post"]["security"] == []
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []
    assert "Error" in doc["components"]["schemas"]


def test_every_api_route_is_declared_and_documented(app, client):
    from core.api.openapi import declared_routes
    found, undeclared = declared_routes(app)
    assert undeclared == [], "declare these with ApiBlueprint.operation: %s" % undeclared
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    for path, route in found:
        from core.api.openapi import _RULE_PARAM
        assert (_RULE_PARAM.sub(lambda m: "{" + m.group(2) + "}", path), route.method.lower()) in documented


def test_collections_document_paging_actions_and_errors(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    listing = doc["paths"]["/regions"]["get"]
    assert {"$ref": "#/components/parameters/page"} in listing["parameters"]
    assert {"$ref": "#/components/parameters/per_page"} in listing["parameters"]
    page = _resolve(doc, listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])
    assert set(page["required"]) == {"items", "page", "per_page", "total"}
    per_page = doc["components"]["parameters"]["per_page"]["schema"]
    assert per_page["maximum"] == 200 and per_page["minimum"] == 1
    assert doc["paths"]["/regions/{id}"]["get"]["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    # the test plugin's collection: PATCH answers 409, actions are listed
    assert "409" in doc["paths"]["/people/{id}"]["patch"]["responses"]
    assert doc["paths"]["/people/{id}"]["get"]["x-concord-actions"] == ["rename", "ping"]
    assert "post" in doc["paths"]["/people/{id}/actions/rename"]
    assert "422" in doc["paths"]["/echo"]["post"]["responses"]


def test_request_schemas_are_the_validating_models(client):
    from test_api_plugin import WidgetIn
    doc = client.get("/api/v1/openapi.json").get_json()
    ref = doc["paths"]["/echo"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = _resolve(doc, ref)
    assert set(schema["required"]) == {"title", "kind", "found_at"}
    assert schema["properties"]["kind"]["enum"] == ["marriage_family", "neighbour"]
    assert schema["properties"]["title"]["maxLength"] == 50
    assert set(schema["properties"]) == set(WidgetIn.model_fields)


def test_document_follows_the_language(client):
    zh = client.get("/api/v1/openapi.json").get_json()
    en = client.get("/api/v1/openapi.json?lang=en").get_json()
    assert en["paths"]["/me"]["get"]["summary"] != zh["paths"]["/me"]["get"]["summary"]
    json.dumps(zh, ensure_ascii=False)
