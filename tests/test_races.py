"""Two requests at once (issue 17; issue 16 hole 5): the real production server (gunicorn, 4 workers × 2
threads) on this test's database — SQLite, or PostgreSQL with DATABASE_URL — and N clients released
together at a barrier. Each scenario asserts exactly one record and an answer that is not an error for
every client: the same form sent N times (double click, retry), the same API create with one key, two
fresh forms for the same matter, parallel logins and a burst of wrong passwords."""
from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from server_support import call, gunicorn, token

N = 8
ONCE_RE = re.compile(r'name="_once" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(base: str, method: str, path: str, form: dict | None = None, cookie: str = "") -> tuple[int, dict, str]:
    data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if cookie:
        req.add_header("Cookie", cookie)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        resp = _opener.open(req, timeout=60)
    except urllib.error.HTTPError as exc:
        resp = exc
    return resp.status if hasattr(resp, "status") else resp.code, resp.headers, resp.read().decode(errors="replace")


def _cookie(headers, old: str = "") -> str:
    for raw in headers.get_all("Set-Cookie") or []:
        m = re.match(r"session=([^;]*)", raw)
        if m:
            return f"session={m.group(1)}"
    return old


def web_login(base: str, username: str) -> str:
    status, headers, html = http(base, "GET", "/login")
    cookie = _cookie(headers)
    m = CSRF_RE.search(html)
    status, headers, body = http(base, "POST", "/login", {"username": username, "password": "concord-demo",
                                                          "csrf_token": m.group(1) or m.group(2)}, cookie)
    assert status == 302, body[:500]
    return _cookie(headers, cookie)


def form_page(base: str, path: str, cookie: str) -> tuple[str, str, str]:
    """(html, csrf token, one-time token) of a form page."""
    status, _h, html = http(base, "GET", path, cookie=cookie)
    assert status == 200, html[:300]
    m, once = CSRF_RE.search(html), ONCE_RE.search(html)
    assert once, "the form carries no one-time token"
    return html, m.group(1) or m.group(2), once.group(1)


def at_once(fn, n: int = N) -> list:
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def _count(engine, sql: str, **params) -> int:
    with engine.connect() as c:
        return c.execute(text(sql), params).scalar()


def _district(engine) -> int:
    return _count(engine, "SELECT id FROM core_region WHERE code = '430611000000'")


def test_same_form_sent_at_once_and_two_fresh_forms(db_url, tmp_path):
    engine = create_engine(db_url)
    region = _district(engine)
    with gunicorn(db_url, str(tmp_path / "inst"), workers=4, threads=2) as (base, _proc):
        cookie = web_login(base, "officer")
        html, csrf, once = form_page(base, "/petition/new", cookie)
        form = {"csrf_token": csrf, "_once": once, "channel": "visit", "received_at": "2026-06-01T09:30",
                "region_id": str(region), "name": "并发双击人", "id_number": "", "phone": "13912345678",
                "request": "双击提交的同一份登记表要求修缮村道", "facts": "", "group_size": "1"}
        answers = at_once(lambda i: http(base, "POST", "/petition/new", form, cookie))
        statuses = [s for s, _h, _b in answers]
        assert all(s in (302, 303) for s in statuses), [(s, b[:200]) for s, _h, b in answers if s not in (302, 303)]
        targets = {h["Location"].split("?")[0].rsplit("/petition/", 1)[-1] for _s, h, _b in answers}
        assert len(targets) == 1, targets
        assert _count(engine, "SELECT count(*) FROM petition_case WHERE request = :r", r=form["request"]) == 1
        assert _count(engine, "SELECT count(*) FROM core_person WHERE name = '并发双击人'") == 1
        replayed = [h for _s, h, _b in answers if h.get("Idempotent-Replayed")]
        assert len(replayed) == N - 1

        # two fresh forms (two tokens) for the same matter at the same instant: one is registered, the
        # other is asked "is this the same matter?" — never two records, never an error
        fresh = []
        for _i in range(2):
            _html, csrf2, once2 = form_page(base, "/petition/new", cookie)
            fresh.append({**form, "csrf_token": csrf2, "_once": once2, "name": "两张表的人",
                          "phone": "13912345679", "request": "两张新表同时登记的同一事项要求赔偿青苗损失"})
        answers = at_once(lambda i: http(base, "POST", "/petition/new", fresh[i], cookie), 2)
        kinds = sorted("registered" if s in (302, 303) else "asked" if s == 200 and 'name="confirm"' in b else f"{s}"
                       for s, _h, b in answers)
        assert kinds == ["asked", "registered"], [(s, b[:300]) for s, _h, b in answers]
        assert _count(engine, "SELECT count(*) FROM petition_case WHERE request = :r",
                      r=fresh[0]["request"]) == 1

        # the same grid dispute captured from two fresh forms: the second is asked, as petitions are
        grid_cookie = web_login(base, "grid1")
        forms = []
        for _i in range(2):
            page, csrf3, once3 = form_page(base, "/mediation/capture", grid_cookie)
            grid_id = re.search(r'name="grid_id" value="(\d+)"', page) or re.search(r'<option[^>]*value="(\d+)"', page)
            forms.append({"csrf_token": csrf3, "_once": once3, "grid_id": grid_id.group(1), "category": "neighbour",
                          "risk_level": "yellow", "summary": "两户因排水沟堵塞发生争吵", "source": "patrol",
                          "client_uuid": str(uuid.uuid4())})
        answers = at_once(lambda i: http(base, "POST", "/mediation/capture", forms[i], grid_cookie), 2)
        kinds = sorted("registered" if s in (302, 303) else "asked" if s == 200 and 'name="confirm"' in b else f"{s}"
                       for s, _h, b in answers)
        assert kinds == ["asked", "registered"], [(s, b[:300]) for s, _h, b in answers]
        assert _count(engine, "SELECT count(*) FROM mediation_dispute WHERE summary = '两户因排水沟堵塞发生争吵'") == 1
        # confirmed as new, it is registered
        asked = next(i for i, (s, _h, _b) in enumerate(answers) if s == 200)
        seen = re.findall(r'name="seen" value="(\d+)"', answers[asked][2])
        _page, csrf4, once4 = form_page(base, "/mediation/capture", grid_cookie)
        status, _h, body = http(base, "POST", "/mediation/capture",
                                {**forms[asked], "csrf_token": csrf4, "_once": once4, "confirm": "1", "seen": seen},
                                grid_cookie)
        assert status in (302, 303), body[:300]
        assert _count(engine, "SELECT count(*) FROM mediation_dispute WHERE summary = '两户因排水沟堵塞发生争吵'") == 2
    engine.dispose()


def test_same_api_create_with_one_key_and_parallel_logins(db_url, tmp_path):
    engine = create_engine(db_url)
    with gunicorn(db_url, str(tmp_path / "inst"), workers=4, threads=2) as (base, _proc):
        # the offline queue resends one capture: same client_uuid, N at once → one dispute, N × 201
        grid_tok = token(base, "grid1")
        status, grids = call(base, "GET", "/api/v1/grids", token=grid_tok)
        grid_id = grids["items"][0]["id"]
        body = {"grid_id": grid_id, "category": "neighbour", "summary": "离线重发的同一条纠纷", "risk_level": "yellow",
                "found_at": "2026-06-01T10:00:00", "client_uuid": str(uuid.uuid4()),
                "parties": [{"name": "离线当事人", "phone": "13812345678"}]}
        answers = at_once(lambda i: call(base, "POST", "/api/v1/disputes", body, grid_tok))
        assert [s for s, _b in answers] == [201] * N, answers
        assert len({b["id"] for _s, b in answers}) == 1
        assert _count(engine, "SELECT count(*) FROM mediation_dispute WHERE client_uuid = :u", u=body["client_uuid"]) == 1

        # any create with an Idempotency-Key: one petition, N identical answers
        tok = token(base, "officer")
        key = str(uuid.uuid4())
        petition = {"channel": "letter", "received_at": "2026-06-01T09:00:00", "request": "带幂等键的重复来信登记",
                    "facts": "重发", "petitioner": {"name": "幂等人", "id_number": "430611198001011237"}}
        answers = at_once(lambda i: _call_with_key(base, "/api/v1/petitions", petition, tok, key))
        assert [s for s, _b in answers] == [201] * N, answers
        assert len({json.dumps(b, sort_keys=True) for _s, b in answers}) == 1
        assert _count(engine, "SELECT count(*) FROM petition_case WHERE request = :r", r=petition["request"]) == 1
        # the same key with another body is refused; a later repeat still answers the first record
        status, _b = _call_with_key(base, "/api/v1/petitions", {**petition, "request": "另一件事"}, tok, key)
        assert status == 422
        status, again = _call_with_key(base, "/api/v1/petitions", petition, tok, key)
        assert status == 201 and again["id"] == answers[0][1]["id"]

        # two different petitions naming one ID number at once: one person
        def register(i):
            return call(base, "POST", "/api/v1/petitions",
                        {**petition, "request": f"同一身份证号同时登记的第{i}件事", "petitioner":
                         {"name": "同号人", "id_number": "430611199002023453"}}, tok)
        answers = at_once(register)
        assert [s for s, _b in answers] == [201] * N, answers
        assert _count(engine, "SELECT count(*) FROM core_person WHERE id_number = '430611199002023453'") == 1

        # ten parallel correct logins as one user: all succeed, and the user's version does not move
        version = _count(engine, "SELECT version FROM core_user WHERE username = 'leader'")
        answers = at_once(lambda i: call(base, "POST", "/api/v1/auth/token",
                                         {"username": "leader", "password": "concord-demo"}), 10)
        assert [s for s, _b in answers] == [200] * 10, answers
        assert _count(engine, "SELECT version FROM core_user WHERE username = 'leader'") == version
        assert _count(engine, "SELECT count(*) FROM core_user WHERE username = 'leader' AND last_login_at IS NOT NULL") == 1

        # a burst of wrong passwords: at most LOGIN_MAX_FAILURES (5) are compared, every other is locked out
        answers = at_once(lambda i: call(base, "POST", "/api/v1/auth/token",
                                         {"username": "aid", "password": f"wrong-{i}"}), 80)
        assert all(s == 401 for s, _b in answers), answers
        messages = [b["error"]["message"] for _s, b in answers]
        compared = [m for m in messages if m in ("Wrong user name or password.", "用户名或密码错误。")]
        assert len(compared) == 5, messages
        status, _b = call(base, "POST", "/api/v1/auth/token", {"username": "aid", "password": "concord-demo"})
        assert status == 401                           # locked, even with the right password
        assert _count(engine, "SELECT failures FROM core_login_throttle WHERE subject = 'user:aid'") == 5
    engine.dispose()


def _call_with_key(base: str, path: str, body: dict, tok: str, key: str) -> tuple[int, dict]:
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Bearer {tok}")
    req.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
