"""Issue 22: a list's row links are built with url_for once per page and the row's id put in place; the links
are the ones url_for builds, row by row."""
from types import SimpleNamespace

from flask import url_for

from core.shell.listing import row_link


def test_row_link_equals_url_for_for_every_row(app):
    with app.test_request_context("/petition/?lang=en"):
        link = row_link("petition.case", case_id="id")
        for i in (1, 7, 42, 99999, 2147483647, 2147483519):
            assert link(SimpleNamespace(id=i)) == url_for("petition.case", case_id=i)
        assert link._parts is not None                      # the shortcut was taken
        assert row_link("mediation.dispute", dispute_id="id")(SimpleNamespace(id=5)) == \
            url_for("mediation.dispute", dispute_id=5)


def test_row_link_falls_back_to_url_for(app):
    with app.test_request_context("/"):
        # a value that is not a plain int is built by url_for (and quoted by it)
        link = row_link("parties.person", person_id="id")
        assert link(SimpleNamespace(id=3)) == url_for("parties.person", person_id=3)
        assert link(SimpleNamespace(id=True)) == url_for("parties.person", person_id=True)


def test_list_pages_link_their_rows(app, client):
    from conftest import login
    login(client, "officer")
    html = client.get("/petition/").get_data(as_text=True)
    with app.test_request_context("/"):
        from sqlalchemy import select

        from core.db import db
        from plugins.petition.models import PetitionCase
        first = db.session.scalar(select(PetitionCase.id).order_by(PetitionCase.received_at.desc(),
                                                                     PetitionCase.id.desc()))
        assert f'<a href="{url_for("petition.case", case_id=first)}">' in html
