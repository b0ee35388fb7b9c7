"""Issue 22: what a page no longer recomputes per request still gives what it gave — a signed CSRF token reused
for a minute stays valid (and a fresh one follows), a lazy label's per-request text follows the language."""
from __future__ import annotations

import time

from conftest import DEMO_PASSWORD, csrf_token_from


def _signed_in(app):
    c = app.test_client()
    page = c.get("/login").get_data(as_text=True)
    assert c.post("/login", data={"username": "officer", "password": DEMO_PASSWORD,
                                  "csrf_token": csrf_token_from(page)}).status_code == 302
    return c


def test_a_reused_csrf_token_is_accepted_and_renewed_after_a_minute(csrf_app, monkeypatch):
    from core.security import csrf_tokens
    c = _signed_in(csrf_app)
    first = csrf_token_from(c.get("/petition/").get_data(as_text=True))
    again = csrf_token_from(c.get("/petition/").get_data(as_text=True))
    assert again == first                                    # signed once, handed out again
    # the reused token works for a POST (the language switch form posts nothing; sign-out does)
    later = time.monotonic() + csrf_tokens.REUSE_SECONDS + 1
    monkeypatch.setattr(csrf_tokens.time, "monotonic", lambda: later)
    time.sleep(1.1)                                          # itsdangerous stamps whole seconds
    renewed = csrf_token_from(c.get("/petition/").get_data(as_text=True))
    assert renewed != first                                  # older than a minute: signed anew
    assert c.post("/logout", data={"csrf_token": first}).status_code == 302      # still valid


def test_a_token_for_another_session_is_refused(csrf_app):
    a, b = _signed_in(csrf_app), _signed_in(csrf_app)
    token_a = csrf_token_from(a.get("/petition/").get_data(as_text=True))
    assert b.post("/logout", data={"csrf_token": token_a}).status_code == 400


def test_lazy_labels_follow_the_language_within_and_across_requests(app, client):
    from flask_babel import force_locale, lazy_gettext

    from conftest import login
    label = lazy_gettext("Closed")
    with app.test_request_context("/"):
        with force_locale("zh"):
            zh = str(label)
        with force_locale("en"):
            assert str(label) == "Closed"
        with force_locale("zh"):
            assert str(label) == zh != "Closed"
    login(client, "officer")
    for _ in range(2):                       # one language after the other, each page in its own
        en = client.get("/petition/?lang=en").get_data(as_text=True)
        assert ">Reference<" in en and ">编号<" not in en
        zh = client.get("/petition/?lang=zh").get_data(as_text=True)
        assert ">编号<" in zh and ">Reference<" not in zh
