"""The baseline of the load benchmark: the petition list page done the simplest way — bare Flask and
SQLAlchemy Core, no auth, no plugins, one hand-written query over the same rows, a tiny template.
Served by the same gunicorn settings: ``BARE_DATABASE_URL=… gunicorn -c deploy/gunicorn.conf.py bench.bare_app:app``."""
import os

from flask import Flask, render_template_string, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["BARE_DATABASE_URL"], pool_pre_ping=True)
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>petitions</title></head><body>
<table>{% for r in rows %}<tr><td>{{ r.reference }}</td><td>{{ r.received_at }}</td><td>{{ r.name }}</td>
<td>{{ r.channel }}</td><td>{{ r.request[:40] }}</td><td>{{ r.state }}</td></tr>{% endfor %}</table>
<p>{{ total }}</p></body></html>"""


@app.get("/petitions")
def petitions():
    page = max(1, request.args.get("page", 1, type=int))
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.reference, c.received_at, p.name, c.channel, c.request, c.state FROM petition_case c "
            "JOIN core_person p ON p.id = c.petitioner_id ORDER BY c.received_at DESC, c.id DESC "
            "LIMIT 25 OFFSET :off"), {"off": (page - 1) * 25}).mappings().all()
        total = conn.execute(text("SELECT count(*) FROM (SELECT 1 FROM petition_case LIMIT 10001) t")).scalar()
    return render_template_string(PAGE, rows=rows, total=total)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


# -- bare equivalents of the other list pages (issue 22): 25 rows, the same columns, a capped count ----------
LISTS = {
    "disputes": ("SELECT d.reference, d.found_at, d.category, d.summary, d.risk_level, d.state FROM mediation_dispute d "
                 "ORDER BY d.found_at DESC, d.id DESC", "mediation_dispute"),
    "hearings": ("SELECT h.reference, h.scheduled_at, h.venue, h.matter, h.state, p.name FROM hearing_hearing h "
                 "JOIN petition_case c ON c.id = h.petition_id JOIN core_person p ON p.id = c.petitioner_id "
                 "ORDER BY h.id DESC", "hearing_hearing"),
    "referrals": ("SELECT r.reference, r.channel, r.knew_at, r.state, p.name FROM legal_aid_referral r "
                  "LEFT JOIN core_person p ON p.id = r.person_id ORDER BY r.id DESC", "legal_aid_referral"),
    "aid": ("SELECT a.reference, a.received_at, a.matter_type, a.summary, p.name FROM legal_aid_application a "
            "JOIN core_person p ON p.id = a.applicant_id ORDER BY a.received_at DESC, a.id DESC",
            "legal_aid_application"),
    "persons": ("SELECT p.name, p.id_number, p.phone, p.address FROM core_person p ORDER BY p.name_norm, p.id",
                "core_person"),
    "audit": ("SELECT l.at, u.username, l.action, l.record_type, l.record_id, l.field FROM core_audit_log l "
              "LEFT JOIN core_user u ON u.id = l.user_id ORDER BY l.at DESC, l.id DESC", "core_audit_log"),
}
LIST_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{{ name }}</title></head><body>
<table>{% for r in rows %}<tr>{% for v in r.values() %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</table>
<p>{{ total }}</p></body></html>"""


@app.get("/list/<name>")
def any_list(name):
    query, table = LISTS[name]
    page = max(1, request.args.get("page", 1, type=int))
    size = 50 if name == "audit" else 25        # the audit log shows 50 rows a page
    with engine.connect() as conn:
        rows = conn.execute(text(query + " LIMIT :size OFFSET :off"),
                            {"size": size, "off": (page - 1) * size}).mappings().all()
        total = conn.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 10001) t")).scalar()
    return render_template_string(LIST_PAGE, rows=rows, total=total, name=name)

