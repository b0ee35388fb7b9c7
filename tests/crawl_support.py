"""Crawl every GET page of the app as a signed-in user and list the raw codes a person would read.

The pages come from ``app.url_map``: every GET rule without arguments, plus every rule whose arguments
name a record, filled with a few sample ids per record type (one per stage where the table has one).
Visible text is the page with tags, attributes, scripts, styles and ``<code>`` taken away.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import func, select

# files, feeds and actions: not pages a person reads
SKIP_SUFFIXES = (".pdf", ".ics", ".xlsx", ".zip", ".css", ".js", ".csv")
SKIP_ENDPOINTS = {"static", "auth.logout", "shell.healthz", "mediation.capture_token", "chatter.download",
                  "hearing_calendar.feed", "hearing_minutes.export_download", "hearing.static", "mediation.static",
                  "mediation.service_worker", "mediation.risk_css", "auth.login"}

RAW_PATTERNS = [
    ("snake_case", re.compile(r"(?<![\w./@-])[a-z]+_[a-z0-9_]+(?![\w/.@-])")),
    ("dotted code", re.compile(r"(?<![\w./@-])[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*(?![\w/@(-])")),
    # None/True/False as a value ("决定: None"), not as an English word ("None yet.")
    ("python literal", re.compile(r"\['|'\]|\b(?:None|True|False)\b(?! [a-z])")),
]
# ordinary prose that looks like a code
ALLOWED = {"e.g", "i.e", "concord.toml", "etc.", "example.com",
           # CSV header names a person types into an import file (the form says what each means)
           "parent_code", "urban_rural_code", "region_code"}


class _Text(HTMLParser):
    # script and markup, code samples, and the content of a text box (a value being edited, like an input's)
    HIDDEN = {"script", "style", "code", "template", "noscript", "head", "title", "pre", "kbd", "samp", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


# in the Chinese interface a lower-case Latin word is a code that escaped its label (``replied``, ``claim``)
ZH_WORD = re.compile(r"(?<![\w./@:#{=-])[a-z]{3,}(?![\w/.@:}=-])")
ZH_ALLOWED = {"concord", "admin", "officer", "leader", "mediator", "legal", "aid", "grid", "demo", "http", "https",
              "www", "pdf", "csv", "xlsx", "ics", "code", "name", "level", "boundary", "households", "workers",
              "chinesecalendar", "scheduler", "regions", "import", "province", "city", "county", "town", "village", "group"}


def raw_codes(html: str, lang: str = "en", allowed: set | frozenset = frozenset()) -> list[str]:
    """*allowed*: tokens that are data, not codes (the demo users' login names, shown next to their names)."""
    text = visible_text(html)
    found = []
    patterns = RAW_PATTERNS + ([("latin word", ZH_WORD)] if lang == "zh" else [])
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            token = m.group(0)
            if token in ALLOWED or token in allowed or (kind == "latin word" and token in ZH_ALLOWED):
                continue
            start = max(0, m.start() - 30)
            found.append(f"{kind} {token!r} in …{text[start:m.end() + 30]}…")
    return found


def _ids(model, limit_states: int = 8) -> list:
    from core.db import db
    pk = model.__mapper__.primary_key[0]
    ids = set()
    first = db.session.scalar(select(func.min(pk)))
    last = db.session.scalar(select(func.max(pk)))
    ids.update(x for x in (first, last) if x is not None)
    state = getattr(model, "state", None)
    if state is not None and hasattr(state, "property"):
        for (value,) in db.session.execute(select(state).distinct().limit(limit_states)):
            one = db.session.scalar(select(pk).where(state == value).limit(1))
            if one is not None:
                ids.add(one)
    return sorted(ids)


def sample_args(app) -> dict[str, list]:
    """Argument name → sample values, from the demo data (run inside an app context)."""
    from core.db import db
    by_table = {m.local_table.name: m.class_ for m in db.Model.registry.mappers
                if getattr(m.local_table, "name", None)}

    def ids(table):
        return _ids(by_table[table]) if table in by_table else []

    out = {
        "case_id": ids("petition_case"), "backlog_id": ids("petition_backlog"),
        "reception_id": ids("petition_reception"), "hearing_id": ids("hearing_hearing"),
        "dispute_id": ids("mediation_dispute"), "grid_id": ids("mediation_grid")[:1],
        "committee_id": ids("mediation_committee")[:1], "ref_id": ids("legal_aid_referral"),
        "app_id": ids("legal_aid_application"), "line_id": ids("legal_aid_channel_rule")[:1],
        "org_id": ids("core_organisation")[:1], "person_id": ids("core_person")[:2],
        "user_id": ids("core_user")[:1], "entry_id": ids("core_holiday")[:1],
        "risk_id": ids("core_risk_assessment")[:2],
    }
    return out


def crawl_urls(app) -> list[str]:
    """Every page to visit: GET rules filled with sample ids (inside an app context)."""
    from core.db import db
    from werkzeug.routing import BuildError
    from flask import url_for

    args = sample_args(app)
    by_table = {m.local_table.name: m.class_ for m in db.Model.registry.mappers
                if getattr(m.local_table, "name", None)}
    special: dict[str, list[dict]] = {}
    for endpoint, table, column in (("kpi_admin.edit", "core_kpi_definition", "code"),
                                    ("regions.edit", "core_region", "code"),
                                    ("sequences.edit", "core_sequence", "code")):
        model = by_table.get(table)
        if model is not None and hasattr(model, column):
            value = db.session.scalar(select(getattr(model, column)).limit(1))
            if value is not None:
                special[endpoint] = [{"code": value}]
    for table, rid_arg in (("petition_case", "case_id"), ("mediation_dispute", "dispute_id"),
                           ("hearing_hearing", "hearing_id"), ("legal_aid_application", "app_id")):
        special.setdefault("chatter.page", []).extend(
            {"record_type": table, "record_id": rid} for rid in args.get(rid_arg, [])[:2])

    urls = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in SKIP_ENDPOINTS or rule.rule.startswith("/api"):
                continue
            if rule.rule.endswith(SKIP_SUFFIXES) or "static" in rule.endpoint:
                continue
            if not rule.arguments:
                urls.append(rule.rule)
                continue
            if rule.endpoint in special:
                combos = special[rule.endpoint]
            else:
                names = sorted(rule.arguments)
                if any(n not in args or not args[n] for n in names):
                    continue
                if len(names) > 1:
                    continue
                combos = [{names[0]: v} for v in args[names[0]]]
            for values in combos:
                try:
                    urls.append(url_for(rule.endpoint, **values))
                except BuildError:
                    continue
    return sorted(set(urls))
