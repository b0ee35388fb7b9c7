"""Shared API models: the error body, paging (query and page), and the base of PATCH bodies."""
from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 200
PAGE_MAX = 1_000_000


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable: invalid, not_found, conflict, unauthorized, …")
    message: str = Field(description="in the caller's language (?lang=, Accept-Language; default zh)")
    fields: dict[str, str] | None = Field(
        default=None, description="422 only: field path (e.g. parties.0.name, or _body) → message")


class Error(BaseModel):
    error: ErrorDetail


class PageQuery(BaseModel):
    """Paging parameters; collections subclass it to add their filters."""

    page: int = Field(default=1, ge=1, le=PAGE_MAX, description="1-based page number")
    per_page: int = Field(default=PER_PAGE_DEFAULT, ge=1, le=PER_PAGE_MAX, description="items per page")
    reveal: str | None = Field(default=None, min_length=1, max_length=200, description=(
        "the purpose for which full personal data is needed (e.g. `callback`): ID numbers and phone numbers "
        "come back in full only with it, and only for a caller holding `core.personal_data.read_full`; "
        "the response then writes one `read_personal` audit row naming its records, fields and this "
        "purpose. Without it a list returns masked values and writes nothing"))


class Page(BaseModel, Generic[T]):
    """One page of a collection: ``{"items": [...], "page", "per_page", "total"}``."""

    items: list[T]
    page: int
    per_page: int
    total: int = Field(description="number of items on all pages, counted up to 10,000")
    total_exact: bool = Field(default=True, description="false when there are more items than `total`")


class ApiBody(BaseModel):
    """Base for request bodies. Unknown fields are ignored (the contract allows clients to send more
    than a collection knows); every string is capped at 100,000 characters unless a field says less."""

    model_config = ConfigDict(extra="ignore", str_max_length=100_000)


class VersionedPatch(ApiBody):
    """Base for PATCH bodies: ``version`` is the version the client read; a stale one answers 409.
    Only the fields the client sent are changed (see ``changes()``)."""

    version: int = Field(ge=1, le=2**31 - 1, description="the record's version as read; stale → 409")

    def changes(self) -> dict:
        return {k: getattr(self, k) for k in self.model_fields_set if k != "version"}
