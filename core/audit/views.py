"""The audit log page for administrators: search by record, user, action and date (read only)."""
from __future__ import annotations

import re
from urllib.parse import quote_plus, urlencode

from datetime import date, datetime, time

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select, text

from core.auth.guard import require
from core.db import db
from core.shell.listing import Column, Filter, ListView, listed
from .access import record_links
from .forms import AuditSearchForm
from .models import ACTIONS, AuditLog
from .newest import newest as audit_newest
from .services import _shown, model_for_table
from core import labels
from core import clock

bp = Blueprint("audit", __name__)

ACTION_LABELS = {
    "create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"), "note": _l("Note"),
    "read_personal": _l("Read personal data"), "login": _l("Signed in"), "attachment": _l("Attachment"),
    "activity": _l("Activity"), "activity_done": _l("Activity done"),
}
PERIODS = (("today", _l("Today")), ("7", _l("Last 7 days")), ("30", _l("Last 30 days")),
           ("365", _l("Last 365 days")))


def _since(days: int) -> datetime:
    return datetime.combine(date.fromordinal(clock.today().toordinal() - days), time.min)


def _period(stmt, value):
    start = datetime.combine(clock.today(), time.min) if value == "today" else _since(int(value))
    return stmt.where(AuditLog.at >= start)


def _short(text, n=120):
    if text is None:
        return ""
    return text if len(text) <= n else text[: n - 1] + "…"


def _value(attr):
    def get(row):
        raw = getattr(row, attr)
        if row.field:
            return _short(_shown(_model(row), row.field, raw))
        if row.action in ("create", "delete"):
            return _short(labels.snapshot_lines(_model(row), raw), 240)
        return _short(raw)
    return get


def _model(row):
    return model_for_table(row.record_type) if row.record_type else None


def _field(row):
    if not row.field:
        return ""
    cls = _model(row)
    return "、".join(labels.field_label(cls, f) for f in row.field.split(",") if f)


def _time(row) -> str:
    """The entry's time to the second (``isoformat`` spells a naive time as ``strftime`` did, in a tenth of
    its time: 50 a page)."""
    at = row.at
    return at.isoformat(" ", "seconds") if at.tzinfo is None and at.year >= 1000 else at.strftime("%Y-%m-%d %H:%M:%S")


_READS = re.compile(r"^(\d+) records · (.*?)(?: · (.*))?$", re.S)
_READ = re.compile(r"^(\w+) (\S+): (.*)$")


def _text(row):
    """A coalesced read (``2 records · core_person 20: phone; …``) in words: 2 条记录：人员 20（电话）；…"""
    m = _READS.match(row.text or "") if row.action == "read_personal" else None
    if m is None:
        return _short(row.text)
    parts = []
    for item in m.group(2).split("; "):
        one = _READ.match(item.strip())
        if one is None:
            continue
        cls = model_for_table(one.group(1))
        fields = "、".join(labels.field_label(cls, f.strip()) for f in one.group(3).split(",") if f.strip())
        parts.append(f"{labels.record_type_label(one.group(1))} {one.group(2)}{labels.paren(fields)}")
    text = _("%(n)s records", n=m.group(1)) + labels.colon() + "；".join(parts)
    return _short(text + (f" · {m.group(3)}" if m.group(3) else ""), 240)


class _Words:
    """A code's words by a label function, for ``Column(labels=…)`` (drawn once per code and page)."""

    def __init__(self, words):
        self.get = words


def record_trail_url():
    """``url_for("audit.index", record_type=…, record_id=…)`` (a record's own trail, the link of a record with
    no page) for the rows of one page: the path built once, the query as werkzeug encodes it (issue 22)."""
    path, prefixes = url_for("audit.index"), {}

    def url(record_type, record_id) -> str:
        prefix = prefixes.get(record_type)
        if prefix is None:      # each type's part once a page; a plain number needs no quoting
            prefix = prefixes[record_type] = f"{path}?{urlencode([('record_type', record_type or '')], safe=_SAFE)}"
        rid = "" if not record_id else str(record_id)
        return f"{prefix}&record_id={rid if rid.isascii() and rid.isdigit() else quote_plus(rid, safe=_SAFE)}"
    return url


_SAFE = "!$'()*,/:;?@"      # what werkzeug leaves unquoted in a query (routing.rules._encode_query_vars)


def _columns(users) -> list[Column]:
    links = record_links()
    # who acted, by name from the users the filter lists anyway: a joined User per row cost ~1 ms a page of 50
    # (SQLAlchemy merges each row's user into the one already loaded, attribute by attribute; issue 22)
    names = {u.id: u.display_name for u in users}
    system = _("System")
    trail = record_trail_url()
    return [
        Column("at", _l("Time"), value=_time, sort=AuditLog.at),
        Column("user", _l("User"), value=lambda r: names.get(r.user_id, system) if r.user_id else system),
        Column("action", _l("Action"), labels=_Words(labels.action_label), sort=AuditLog.action),
        Column("record_type", _l("Record type"), labels=_Words(labels.record_type_label), sort=AuditLog.record_type),
        Column("record_id", _l("Record ID"),
               link=lambda r: (links(r.record_type, r.record_id) if r.record_type else None)
               or trail(r.record_type, r.record_id)),
        Column("field", _l("Field"), value=_field),
        Column("old", _l("Old value"), value=_value("old")),
        Column("new", _l("New value"), value=_value("new")),
        Column("text", _l("Text"), value=_text),
        Column("ip", _l("IP address")),
    ]


# what the filter lists, in one round trip (issue 22: on PostgreSQL each statement costs a round trip): every
# user (kind 0: id, name, username, by username), then the distinct record types (kind 1, in order) by a loose
# index scan over ix_core_audit_log_record (one index probe per type) instead of SELECT DISTINCT over the whole
# log on every page (565 ms p50 at 20,000 rows)
_CHOICES = text(
    "WITH RECURSIVE t(rt) AS (SELECT min(record_type) FROM core_audit_log UNION ALL "
    "SELECT (SELECT min(record_type) FROM core_audit_log WHERE record_type > t.rt) FROM t "
    "WHERE t.rt IS NOT NULL) "
    "SELECT 0 AS kind, id, display_name, username FROM core_user UNION ALL "
    "SELECT 1, NULL, rt, NULL FROM t WHERE rt IS NOT NULL ORDER BY kind, username, display_name")


def _choices() -> tuple[list, list[str]]:
    """Every user (rows with id, display_name and username) and the record types in the log, by one statement
    on the session's connection; kept per process and database while the log's newest entry stays the same
    (``core.audit.newest``: a new user, a renamed one and a new record type each add an entry)."""
    newest = audit_newest()
    key = (id(current_app._get_current_object()), str(db.engine.url), newest)
    kept = _kept_choices.get("choices")
    if newest is not None and kept is not None and kept[0] == key:
        return kept[1]
    rows = db.session.connection().execute(_CHOICES).all()
    made = [r for r in rows if r.kind == 0], [r.display_name for r in rows if r.kind == 1]
    if newest is not None:
        _kept_choices["choices"] = (key, made)
    return made


_kept_choices: dict[str, tuple] = {}


def _filters(users, types) -> list[Filter]:
    """The filters for these users and record types, kept per process and language (their words depend on
    the catalogue only) while the users and types the log lists stay the same (issue 22: building the options
    and drawing the selects cost ~0.15 ms a page)."""
    from core.i18n import catalogue_texts
    memo = catalogue_texts()
    kept = memo.get(_FILTERS) if memo is not None else None
    users, types = tuple(users), tuple(types)
    if kept is not None and kept[0] == users and kept[1] == types:
        return kept[2]
    filters = _made_filters(users, types)
    if memo is not None:
        memo[_FILTERS] = (users, types, filters)
    return filters


_FILTERS = ("audit", "filters")


def _made_filters(users, types) -> list[Filter]:
    return [
        Filter("record_type", _l("Record type"), [(t, labels.record_type_label(t)) for t in types],
               lambda s, v: s.where(AuditLog.record_type == v)),
        Filter("user", _l("User"), [(str(u.id), f"{u.display_name} ({u.username})") for u in users],
               lambda s, v: s.where(AuditLog.user_id == int(v))),
        Filter("action", _l("Action"), [(a, labels.action_label(a)) for a in ACTIONS],
               lambda s, v: s.where(AuditLog.action == v)),
        Filter("period", _l("Period"), list(PERIODS), _period, cacheable=False),     # "today" moves
    ]


@bp.get("/")
@require("admin.audit.read")
def index():
    form = AuditSearchForm(formdata=request.args)
    form.validate()
    stmt = _statement(form)
    users, types = _choices()
    view = ListView(stmt, _columns(users), search=[AuditLog.text, AuditLog.field, AuditLog.new, AuditLog.old],
                    filters=_filters(users, types), default_sort=AuditLog.id.desc(), per_page=50, export_name="audit-log",
                    core_rows=True)
    if view.export_requested():
        return view.export()
    return render_template("audit/index.html", view=view, page=view.page(), form=form,
                           carried=("q", "record_type", "user", "action", "period", "sort"))


def _statement(form):
    """The log's statement: kept once per process for the plain log (issue 22), built for a record id or
    dates asked for."""
    def plain():
        # the entries as Core rows (``ListView(core_rows=True)``); the rows show the user's name only, from the
        # filter's list (``_columns``): no User joined
        return select(AuditLog.__table__)
    narrowed = any(f.data and not f.errors for f in (form.record_id, form.date_from, form.date_to))
    if not narrowed:
        return listed("audit.index", (), plain)
    stmt = plain()
    if form.record_id.data and not form.record_id.errors:
        stmt = stmt.where(AuditLog.record_id == form.record_id.data.strip())
    if form.date_from.data and not form.date_from.errors:
        stmt = stmt.where(AuditLog.at >= datetime.combine(form.date_from.data, time.min))
    if form.date_to.data and not form.date_to.errors:
        stmt = stmt.where(AuditLog.at <= datetime.combine(form.date_to.data, time.max))
    return stmt
