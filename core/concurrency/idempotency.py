"""Idempotent writes: a repeat of a request answers the first request's outcome, never a second record.

Keys
- Web forms: every ``<form method="post">`` on a page for a signed-in user gets a hidden one-time token
  (``_once``) when the page is sent; no view or template has to ask for it. The key is the token with a
  hash of the fields: the same form sent twice answers once, the page sent again with other fields
  (Back, edit, send) is a new request.
- API: the ``Idempotency-Key`` header on any POST/PATCH/PUT/DELETE, or else the body's ``client_uuid``
  on a POST (the offline queue of a grid worker's phone resends with it).

Claim (insert first): the first request INSERTs ``(user, route, key)`` in its own committed transaction;
the unique constraint makes every later one fail that insert. A repeat then reads the row: finished →
the stored outcome (API: same status and body; form: the same redirect); still running → it polls every
50 ms until the first one finishes (``IDEMPOTENCY_WAIT_SECONDS``, default 20). The API stores its outcome
in the same transaction as the record it created; a form stores its redirect right after its commit.
A request that ends without a saved outcome (validation errors, a duplicate-check step, an error page)
releases its key, so the corrected form or the retried call runs normally.

Settings: ``IDEMPOTENCY_WINDOW_HOURS`` (24): how long a key answers; ``IDEMPOTENCY_STALE_SECONDS`` (120):
a claim whose request died that long ago without an outcome is taken over.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import Response, current_app, flash, g, has_request_context, redirect, request
from flask_babel import gettext as _
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import SQLAlchemyError, IntegrityError
from sqlalchemy.orm import Session

from core import clock
from core.db import db
from .models import IdempotencyKey

FORM_FIELD = "_once"
HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"^[0-9A-Za-z_.:-]{1,100}$")
FORM_KEY_RE = re.compile(r"^[0-9A-Za-z_-]{1,80}$")
_FORM_RE = re.compile(rb"<form\b[^>]*\bmethod\s*=\s*[\"']?post\b[^>]*>", re.IGNORECASE)   # on the page's bytes
_table = IdempotencyKey.__table__


class KeyReused(Exception):
    """The same Idempotency-Key was sent with a different request body."""


class StillRunning(Exception):
    """The first request with this key did not finish within the wait."""


@dataclass
class Claim:
    id: int
    web: bool
    committed: bool = False     # the request committed a transaction (set by the session hook)
    finished: bool = False      # the outcome is stored


@dataclass
class Replay:
    status_code: int
    content_type: str | None
    location: str | None
    body: str | None


def _cfg(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def begin(user_id: int, route: str, key: str, fp: str | None = None, *, web: bool = False) -> Claim | Replay:
    """Claim *key* for this request, or the first request's outcome. Raises KeyReused or StillRunning."""
    route = route[:200]
    wait_until = time.monotonic() + _cfg("IDEMPOTENCY_WAIT_SECONDS", 20)
    window = timedelta(hours=_cfg("IDEMPOTENCY_WINDOW_HOURS", 24))
    stale = timedelta(seconds=_cfg("IDEMPOTENCY_STALE_SECONDS", 120))
    where = (_table.c.user_id == user_id, _table.c.route == route, _table.c.key == key)
    while True:
        try:
            with db.engine.begin() as conn:
                claim_id = conn.execute(insert(_table).values(
                    user_id=user_id, route=route, key=key, fingerprint=fp, state="running",
                    created_at=clock.now()).returning(_table.c.id)).scalar_one()
            return Claim(claim_id, web)
        except IntegrityError:
            pass
        with db.engine.connect() as conn:
            row = conn.execute(select(_table).where(*where)).first()
        if row is None:
            continue                                    # released meanwhile: claim it again
        now = clock.now()
        if row.created_at < now - window or (row.state == "running" and row.created_at < now - stale):
            with db.engine.begin() as conn:             # expired, or its request died: take it over
                conn.execute(delete(_table).where(_table.c.id == row.id, _table.c.state == row.state,
                                                  _table.c.created_at == row.created_at))
            continue
        if fp and row.fingerprint and row.fingerprint != fp:
            raise KeyReused()
        if row.state == "done":
            return Replay(row.status_code, row.content_type, row.location, row.body)
        if time.monotonic() > wait_until:
            raise StillRunning()
        time.sleep(0.05)


def _outcome(response: Response) -> dict:
    return dict(state="done", status_code=response.status_code, content_type=response.content_type,
                location=(response.headers.get("Location") or "")[:500] or None,
                body=None if 300 <= response.status_code < 400 else response.get_data(as_text=True),
                finished_at=clock.now())


def replayable(response: Response) -> bool:
    """An API success whose body can be kept and answered again (JSON or text, not a stream or a PDF)."""
    return (200 <= response.status_code < 300 and not response.is_streamed and not response.direct_passthrough
            and (response.mimetype == "application/json" or response.mimetype.startswith("text/")
                 or response.status_code == 204))


def finish_in_session(claim: Claim, response: Response) -> None:
    """Store *response* as the claim's outcome in the request's own transaction (commit follows)."""
    db.session.execute(update(_table).where(_table.c.id == claim.id).values(**_outcome(response)))


def finish(claim: Claim, response: Response) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(_table).where(_table.c.id == claim.id).values(**_outcome(response)))
    claim.finished = True


def release(claim: Claim) -> None:
    with db.engine.begin() as conn:
        conn.execute(delete(_table).where(_table.c.id == claim.id, _table.c.state == "running"))
    claim.finished = True


def replay_response(replay: Replay) -> Response:
    response = Response(replay.body or "", status=replay.status_code, content_type=replay.content_type)
    if replay.location:
        response.headers["Location"] = replay.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def purge() -> int:
    """Daily job: delete keys older than their window."""
    cutoff = clock.now() - timedelta(hours=_cfg("IDEMPOTENCY_WINDOW_HOURS", 24))
    return db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount


# -- API -----------------------------------------------------------------------------------------------
def api_key() -> tuple[str, str | None] | None:
    """(key, fingerprint) of this API write, or None: the header, else a POST body's ``client_uuid``."""
    header = (request.headers.get(HEADER) or "").strip()
    if header:
        return header, fingerprint(request.get_data())
    if request.method == "POST" and request.is_json:
        body = request.get_json(silent=True)
        uuid = body.get("client_uuid") if isinstance(body, dict) else None
        if isinstance(uuid, str) and KEY_RE.match(uuid.strip()):
            return "client_uuid:" + uuid.strip(), None
    return None


def begin_api() -> Claim | Response | None:
    """For ``core.api.routes``: claim this write's key (None without one), or answer the repeat."""
    from flask_login import current_user
    from core.api.errors import ApiError
    found = api_key()
    if found is None or not getattr(current_user, "is_authenticated", False):
        return None
    key, fp = found
    if not KEY_RE.match(key) and not key.startswith("client_uuid:"):
        raise ApiError(422, "invalid", _("An Idempotency-Key has 1–100 letters, digits or . _ : -"),
                       {HEADER: _("An Idempotency-Key has 1–100 letters, digits or . _ : -")})
    try:
        outcome = begin(current_user.id, f"{request.method} {request.path}", key, fp)
    except KeyReused:
        raise ApiError(422, "idempotency_key_reused",
                       _("This Idempotency-Key was already used for a different request.")) from None
    except StillRunning:
        raise ApiError(409, "in_progress", _("The same request is still being processed; try again shortly.")) \
            from None
    if isinstance(outcome, Replay):
        return replay_response(outcome)
    g._concord_claim = outcome
    return outcome


def api_committed(claim: Claim | None) -> None:
    if claim is not None:
        claim.finished = True


# -- web forms -----------------------------------------------------------------------------------------
def _web_before():
    if request.method != "POST" or request.path.startswith("/api/"):
        return None
    key = request.form.get(FORM_FIELD) if request.mimetype in ("application/x-www-form-urlencoded",
                                                                 "multipart/form-data") else None
    if not key or not FORM_KEY_RE.match(key):
        return None
    from flask_login import current_user
    if not current_user.is_authenticated:
        return None
    # the token with what the form says: a double click or a resend (the same fields) answers the first
    # outcome; the same page sent again with other fields (Back, edit, send) is a new request
    fields = sorted((k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", FORM_FIELD))
    fields += sorted((k, f.filename or "") for k, f in request.files.items(multi=True))
    key = f"{key}:{fingerprint(repr(fields).encode())[:16]}"
    try:
        outcome = begin(current_user.id, f"POST {request.path}", key, web=True)
    except StillRunning:
        from werkzeug.exceptions import Conflict
        raise Conflict() from None
    if isinstance(outcome, Replay):
        flash(_("This form had already been sent; this is what it did."), "info")
        response = redirect(outcome.location or request.path, 303)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    g._concord_claim = outcome
    return None


def _settle(response: Response) -> Response:
    claim = g.pop("_concord_claim", None)
    if claim is None or claim.finished:
        return response
    saved = (300 <= response.status_code < 400 and claim.committed) if claim.web else False
    try:
        db.session.rollback()           # nothing uncommitted outlives the request anyway; frees SQLite's lock
        finish(claim, response) if saved else release(claim)
    except Exception:                   # the database is gone: the key expires as stale
        current_app.logger.warning("idempotency key %s not settled", claim.id, exc_info=True)
    return response


def _inject_tokens(response: Response) -> Response:
    if (request.method not in ("GET", "POST") or response.mimetype != "text/html" or response.direct_passthrough
            or response.is_streamed or request.path.startswith("/api/") or response.status_code >= 500):
        return response             # an error page (503: the database is gone) carries no form to protect
    from flask_login import current_user
    try:
        signed_in = getattr(current_user, "is_authenticated", False)
    except SQLAlchemyError:         # the user could not be loaded: the database went away mid-request
        return response
    if not signed_in:
        return response
    # the page's bytes as they are (UTF-8: no byte of a multi-byte character is ASCII, so the pattern finds
    # the same tags), without decoding and encoding the whole page (issue 22)
    html = response.get_data()
    if b"<form" not in html and b"<FORM" not in html:
        return response
    new = _FORM_RE.sub(lambda m: m.group(0) + f'<input type="hidden" name="{FORM_FIELD}" '
                                       f'value="{secrets.token_urlsafe(18)}">'.encode("ascii"), html)
    if new != html:
        response.set_data(new)
    return response


def _after(response: Response) -> Response:
    return _inject_tokens(_settle(response))


def _teardown(exc):
    claim = g.pop("_concord_claim", None) if has_request_context() else None
    if claim is not None and not claim.finished:
        try:
            db.session.rollback()
            release(claim)
        except Exception:
            pass


def _on_commit(session):
    if has_request_context():
        claim = g.get("_concord_claim")
        if claim is not None:
            claim.committed = True


def init_app(app) -> None:
    app.before_request(_web_before)
    app.after_request(_after)
    app.teardown_request(_teardown)
    if not getattr(Session, "_concord_idempotency_hook", False):
        event.listen(Session, "after_commit", _on_commit)
        Session._concord_idempotency_hook = True
