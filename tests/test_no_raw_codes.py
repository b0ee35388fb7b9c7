"""No raw code on any page: every demo role, in Chinese and in English, visits every GET page reachable
from the menus and record pages (generated from ``app.url_map`` with sample ids of every record type) and
no snake_case token, dotted rule code or Python literal shows in the visible text; in Chinese no stray
lower-case English word either (a code whose label is missing, or a string without its translation)."""
import pytest

from conftest import login
from crawl_support import crawl_urls, raw_codes, visible_text

ROLES = ("admin", "officer", "leader", "mediator", "grid1", "grid2", "legal", "aid")


def test_visible_text_ignores_markup_and_code():
    html = '<p title="petition.reply">答复<code>petition.reply</code><script>x_y</script></p><p>阶段：已答复</p>'
    assert visible_text(html) == "答复 阶段：已答复"
    assert raw_codes(html, "zh") == []
    assert raw_codes("<p>阶段: handling → replied</p>", "zh")
    assert raw_codes("<p>legal_aid.decide · 2026-12-15</p>")
    assert raw_codes("<td>['red=#f5a3a3']</td>")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_raw_code_on_any_page_of_any_role(app, client, lang):
    from sqlalchemy import select
    from core.auth.models import User
    from core.db import db
    urls = crawl_urls(app)
    assert len(urls) > 60
    logins = set(db.session.scalars(select(User.username)))     # login names are data the page may show
    problems, seen = [], 0
    for role in ROLES:
        client.get("/logout")
        assert login(client, role).status_code == 302
        client.set_cookie("concord_lang", lang)
        for url in urls:
            resp = client.get(url)
            if resp.status_code != 200 or "text/html" not in resp.content_type:
                continue
            seen += 1
            for found in raw_codes(resp.get_data(as_text=True), lang, logins):
                problems.append(f"{role} {url}: {found}")
    assert seen > 200
    assert not problems, f"{len(problems)} raw codes, first:\n" + "\n".join(problems[:40])


def test_history_and_audit_read_in_words(app, client):
    """The issue's examples: a reply shows 阶段：办理中 → 已答复 and 决定：— → 支持, never the codes."""
    from core.db import db
    from plugins.petition.models import PetitionCase
    case = db.session.query(PetitionCase).filter_by(state="replied").first()
    assert case is not None
    login(client, "admin")
    client.set_cookie("concord_lang", "zh")
    html = client.get(f"/petition/{case.id}").get_data(as_text=True)
    assert "已答复" in html and "replied" not in visible_text(html)
    audit = visible_text(client.get("/admin/audit/").get_data(as_text=True))
    assert "信访事项" in audit and "petition_case" not in audit and '{"' not in audit
