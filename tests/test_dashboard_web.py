"""/dashboard/: tiles, charts with tables, region breakdown with drill-down, xlsx exports, the monthly report."""
import io
import re

from openpyxl import load_workbook

from tests.test_kpi import DISTRICT, TOWN, _world
from core.db import db


def _setup(client, login_as, user="leader"):
    _world()
    db.session.commit()
    return login_as(user)


def test_dashboard_renders_tiles_charts_tables_and_breakdown(app, client, login_as):
    _setup(client, login_as)
    r = client.get("/dashboard/?period=2025-05")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "及时受理率" in html and "40.0%" in html
    assert 'data-chart="' in html and "chart.umd.min.js" in html and "<details>" in html
    assert 'data-region="430611001000"' in html      # 柳林洲街道 among the towns
    assert "cdn" not in html.lower()


def test_drill_down_town_to_records_and_xlsx(app, client, login_as):
    a, *_rest = _world()
    db.session.commit()
    login_as("leader")
    html = client.get("/dashboard/?period=2025-05").get_data(as_text=True)
    link = re.search(r'<tr data-region="%s">.*?data-measure="petition.received" href="([^"]+)"' % TOWN, html, re.S)
    assert link
    page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert a.reference in page
    r = client.get(link.group(1).replace("&amp;", "&") + "&format=xlsx")
    wb = load_workbook(io.BytesIO(r.data))
    ws = wb.active
    rows = list(ws.values)
    assert rows[0][0] == "编号" or rows[0][0] == "Reference"
    assert len(rows) == 1 + 4 and a.reference in {row[0] for row in rows}
    assert ws.cell(row=2, column=5).is_date


def test_kpi_and_breakdown_xlsx_are_typed(app, client, login_as):
    _setup(client, login_as)
    wb = load_workbook(io.BytesIO(client.get("/dashboard/kpis.xlsx?period=2025-05").data))
    rows = list(wb.active.values)
    acc = next(r for r in rows if r[0] == "及时受理率")
    assert acc[2:5] == (2, 5, 40.0)
    wb = load_workbook(io.BytesIO(client.get("/dashboard/breakdown.xlsx?period=2025-05").data))
    rows = list(wb.active.values)
    town = next(r for r in rows if r[0] == TOWN)
    assert isinstance(town[2], int) and town[2] == 4


def test_report_submit_freeze_xlsx_pdf(app, client, login_as):
    _setup(client, login_as)
    r = client.post("/dashboard/report?period=2025-05")
    assert r.status_code == 302
    html = client.get("/dashboard/report?period=2025-05").get_data(as_text=True)
    assert "report-xlsx" in html
    wb = load_workbook(io.BytesIO(client.get("/dashboard/report?period=2025-05&format=xlsx").data))
    assert len(wb.sheetnames) == 3
    pdf = client.get("/dashboard/report?period=2025-05&format=pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    assert client.post("/dashboard/report?period=2025-05").status_code == 302   # second submit refused, no 500


def test_scope_and_permissions(app, client, login_as):
    _setup(client, login_as, "grid1")
    assert client.get("/dashboard/").status_code == 403
    login_as("mediator")
    assert client.get("/dashboard/?period=2025-05").status_code == 200
    assert client.get("/dashboard/?period=bad").status_code == 400
    assert client.get("/dashboard/records?m=nope").status_code == 404
    assert client.get("/dashboard/?region=999999").status_code == 404
