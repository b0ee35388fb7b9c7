"""A test-only plugin ("apitest") that declares an API collection the way real plugins do, over an
existing core table (users), so the API base can be tested without a table of its own."""
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from core.api import (ApiBlueprint, ApiBody, Collection, Id, LocalDate, LocalDateTime, OptionalText, PageQuery,
                      Text, VersionedPatch, invalid)
from core.auth.models import User
from core.plugins import Manifest

manifest = Manifest(name="apitest", version="0.0.1", title="API test", setup="test_api_plugin:setup")

api = ApiBlueprint("apitest_api", __name__, tag="apitest")


class PartyIn(BaseModel):
    name: Text(50)
    phone: OptionalText(30) = None


class WidgetIn(ApiBody):
    title: Text(50)
    kind: Literal["marriage_family", "neighbour"]
    found_at: LocalDateTime
    knew_at: LocalDate | None = None
    grid_id: Id | None = None
    parties: list[PartyIn] = Field(default=[], max_length=5)


class PersonOut(BaseModel):
    id: int
    username: str
    display_name: str
    version: int


class PersonQuery(PageQuery):
    username: str | None = Field(default=None, max_length=60)


class PersonPatch(VersionedPatch):
    display_name: Text(100) | None = None


class RenameIn(ApiBody):
    display_name: Text(100)
    version: int | None = None


@api.operation("POST", "/echo", summary="Echo a widget", permission="apitest.write", body=WidgetIn, status=201)
def echo(body: WidgetIn):
    if body.title == "taken":
        raise invalid({"title": "taken"})
    return body


people = Collection(api, "people", model=User, out=PersonOut, read="apitest.read", region_column="region_id")


@people.list(query=PersonQuery)
def list_people(query: PersonQuery):
    stmt = select(User).order_by(User.username)
    return stmt.where(User.username == query.username) if query.username else stmt


class PersonIn(ApiBody):
    username: Text(60)


@people.create(body=PersonIn, permission="apitest.write")
def create_person(body: PersonIn):
    from flask_login import current_user
    from core.db import db
    user = User(username=body.username, display_name="", password_hash="!", region_id=current_user.region_id)
    db.session.add(user)
    return user


@people.update(body=PersonPatch, permission="apitest.write")
def update_person(record: User, body: PersonPatch):
    for key, value in body.changes().items():
        setattr(record, key, value)


@people.action("rename", body=RenameIn, permission="apitest.write", summary="Rename")
def rename(record: User, body: RenameIn):
    record.display_name = body.display_name


class Pong(BaseModel):
    pong: str


@people.action("ping", permission="apitest.read", summary="Ping", response=Pong)
def ping(record: User):
    return {"pong": record.username}


def setup(ctx):
    ctx.permissions({"apitest.read": "read", "apitest.write": "write"},
                    default_grants={"officer": ["apitest.read", "apitest.write"], "grid_worker": ["apitest.read"]})
    ctx.api(api)
