"""A decision document exists only once the decision is taken: `concord pdf render` and the download
routes refuse a 给予/不予法律援助决定书 for an application still being examined, and a 处理意见书 for a
petition not yet answered (they used to print a dated decision for a "received" application)."""
from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from core.db import db
from plugins.legal_aid.aid import services as aid

from plugins.legal_aid.tests.test_legal_aid_aid import _apply


def _render(app, record, tmp_path, template="legal_aid.document"):
    out = tmp_path / "x.pdf"
    result = app.test_cli_runner().invoke(args=["pdf", "render", template, "--record", record, "--out", str(out)])
    return result, out


def test_cli_refuses_a_decision_for_an_undecided_application(app, tmp_path):
    a = _apply()
    db.session.commit()
    assert a.state == "received" and a.decided_at is None
    for kind in ("grant_decision", "refusal_decision"):
        result, out = _render(app, f"aid:{kind}:{a.id}", tmp_path)
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert len(line.splitlines()) == 1 and "Traceback" not in result.output
        assert a.reference in line and "issued only once" in line
        assert not out.exists()
    # the acceptance notice exists from the start
    result, out = _render(app, f"aid:accept_notice:{a.id}", tmp_path)
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    # decided: the decision renders, dated on the decision day
    aid.grant(a)
    db.session.commit()
    result, out = _render(app, f"aid:grant_decision:{a.id}", tmp_path)
    assert result.exit_code == 0, result.output
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "给予法律援助决定书" in text and "决定给予法律援助" in text
    d = a.decided_at
    assert f"{d.year}年{d.month}月{d.day}日" in text
    result, _ = _render(app, f"aid:refusal_decision:{a.id}", tmp_path)
    assert result.exit_code == 2


def test_download_route_refuses_an_undecided_decision(app, login_as):
    a = _apply()
    db.session.commit()
    client = login_as("aid")
    for kind in ("grant_decision", "refusal_decision"):
        assert client.get(f"/legal_aid/aid/{a.id}/document/{kind}.pdf").status_code == 404
    assert client.get(f"/legal_aid/aid/{a.id}/document/accept_notice.pdf").status_code == 200


def test_cli_refuses_an_opinion_for_an_unanswered_petition(app, tmp_path):
    from plugins.petition.models import PetitionCase
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.replied_at.is_(None)))
    result, out = _render(app, f"opinion:{case.id}", tmp_path, "petition.document")
    assert result.exit_code == 2 and "处理意见书" in result.stderr and not out.exists()
