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
