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


def test_list_view_urls_equal_url_for(app):
    """A list's sort, page and export links: its path built once, the query encoded as werkzeug encodes it."""
    from sqlalchemy import select

    from core.shell.listing import Column, ListView
    from plugins.petition.models import PetitionCase
    for query in ("", "?lang=en", "?q=%E5%BC%A0+%E4%B8%89&state=closed", "?sort=-reference&page=3",
                  "?q=a%26b%3Dc%2Fd%3F%23e&per_page=50", "?q=%20x%20&sort=received_at"):
        with app.test_request_context("/petition/" + query):
            from flask import request
            view = ListView(select(PetitionCase), [Column("reference", "Reference", sort=PetitionCase.reference)])
            args = request.args.to_dict()
            for changes in ({}, {"page": 2}, {"sort": "-reference"}, {"format": "csv", "page": None},
                            {"q": "家 & 田?"}):
                expected = dict(args, **{k: v for k, v in changes.items() if v is not None})
                for k, v in changes.items():
                    if v is None:
                        expected.pop(k, None)
                assert view.url(**changes) == url_for("petition.index", **expected), (query, changes)


def test_audit_record_links_equal_record_url_for_every_registered_type(app):
    """The audit log's links, one URL built per record type and page: the same as record_url row by row, for
    every record type the app registers (plugins included) and odd ids."""
    from core.audit.access import known_record_types, record_links, record_url
    with app.test_request_context("/admin/audit/"):
        links = record_links()
        types = known_record_types()
        assert "petition_case" in types and "core_person" in types
        # and a type no plugin registers (entries of a removed plugin): no link, as record_url says
        for record_type in [*types, "no_such_plugin_record"]:
            for rid in (1, 7, "42", 2147483647, "2147483648", "abc", "0"):
                assert links(record_type, rid) == record_url(record_type, rid), (record_type, rid)


def test_audit_trail_links_equal_url_for(app):
    """A record with no page links to its own trail in the audit log: the same URL as ``url_for`` for odd
    types and ids (spaces, Chinese, &, ?, %, +, none)."""
    from flask import url_for

    from core.audit.views import record_trail_url
    with app.test_request_context("/admin/audit/"):
        trail = record_trail_url()
        for record_type in ("core_user", "plugin thing", "家&?", None, ""):
            for rid in ("1", "a b", "家 & 田?", "50%+1", "x/y#z", None, ""):
                assert trail(record_type, rid) == url_for("audit.index", record_type=record_type or "",
                                                          record_id=rid or ""), (record_type, rid)
