"""Property-based fuzzing of the main web forms (hypothesis): any text, number or date typed into the
petition intake, the backlog plan and the reception booking answers with the form again (and a message)
or a redirect after saving — never a 500, and a refused form saves nothing."""
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from core.db import db
from plugins.petition.models import PetitionCase

EXAMPLES = int(os.environ.get("CONCORD_FUZZ_EXAMPLES", "12")) * 3
junk = st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "2026-02-30T10:00", "9999-99-99", "-1", "0",
                                                          "1e309", "<script>x</script>", "'; DROP TABLE x;--",
                                                          "\x00", "٣", "𠀀" * 50]))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.fuzz
def test_intake_form_never_breaks(app, client, login_as):
    login_as("officer")
    token = _token(client.get("/petition/new").get_data(as_text=True))

    @FUZZ
    @given(channel=junk, received_at=junk, name=junk, id_number=junk, phone=junk, region_id=junk,
           group_size=junk, representatives=junk, request=junk, facts=junk, confirm=st.sampled_from(["", "1"]))
    def post(**fields):
        before = db.session.scalar(select(func.count()).select_from(PetitionCase))
        r = client.post("/petition/new", data={"csrf_token": token, **fields})
        assert r.status_code in (200, 302), r.status_code
        after = db.session.scalar(select(func.count()).select_from(PetitionCase))
        assert after == before + (1 if r.status_code == 302 else 0)

    post()


@pytest.mark.fuzz
def test_backlog_and_reception_forms_never_break(app, client, login_as):
    from plugins.petition.backlog.models import BacklogCase
    backlog_id = db.session.scalar(select(BacklogCase.id).limit(1))
    login_as("officer")
    page = client.get(f"/petition/backlog/{backlog_id}").get_data(as_text=True)
    token = _token(page)

    @FUZZ
    @given(action=st.sampled_from(["assign", "step", "done", "review", "close_out", "nope"]),
           a=junk, b=junk, c=junk, d=junk, version=junk)
    def post(action, a, b, c, d, version):
        data = {"csrf_token": token, "version": version, "assign-leader_id": a, "assign-plan": b,
                "assign-target_date": c, "step-description": a, "step-owner_id": b, "step-due_on": c,
                "done-step_id": a, "done-note": b, "review-note": a, "close-evidence": a, "close-visit_on": b,
                "close-visit_by": c, "close-visit_result": d}
        r = client.post(f"/petition/backlog/{backlog_id}/{action}", data=data)
        assert r.status_code in (302, 403, 404), r.status_code

    post()

    reception = client.get("/petition/reception/").get_data(as_text=True)
    token = _token(reception)

    @FUZZ
    @given(day=junk, leader=junk, weeks=junk, weekday=junk, place=junk, capacity=junk)
    def rota(day, leader, weeks, weekday, place, capacity):
        for url, data in (("/petition/reception/rota", {"rota-start": day, "rota-weeks": weeks,
                                                        "rota-weekday": weekday, "rota-leaders": leader,
                                                        "rota-region_id": leader, "rota-place": place}),
                          ("/petition/reception/new", {"day-day": day, "day-leader_id": leader,
                                                       "day-deputy_id": weekday, "day-region_id": weeks,
                                                       "day-place": place, "day-capacity": capacity})):
            r = client.post(url, data={"csrf_token": token, **data})
            assert r.status_code == 302, (url, r.status_code)

    rota()
