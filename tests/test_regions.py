"""Region tree admin: browsing, 村民小组 with local codes, CSV import (page and CLI)."""
import io
import os

import pytest
from sqlalchemy import select

from conftest import csrf_token_from, login
from core.db import db

VILLAGE = "430611001001"   # 柳林洲街道 柳林社区 (grid1's village)
TOWN = "430611001000"      # 柳林洲街道
HEADER = "code,name,level,parent_code,urban_rural_code\n"


def region(code):
    from core.regions.models import Region
    return db.session.scalar(select(Region).where(Region.code == code))


def test_breadcrumbs_and_children(app):
    from core.regions.services import breadcrumbs, children
    assert [r.name for r in breadcrumbs(region(VILLAGE))] == ["湖南省", "岳阳市", "君山区", "柳林洲街道", "柳林社区"]
    towns = children(region("430611000000"))
    assert len(towns) == 5 and dict((r.name, n) for r, n in towns)["柳林洲街道"] == 25
    assert [r.code for r, _ in children(None)] == ["430000000000"]


def test_groups_get_the_village_code_and_a_local_suffix(app):
    from core.regions.services import RegionError, add_group
    village = region(VILLAGE)
    first = add_group(village, "第一村民小组")
    second = add_group(village, "第二村民小组")
    chosen = add_group(village, "第九村民小组", "009")
    assert (first.code, second.code, chosen.code) == (VILLAGE + "001", VILLAGE + "002", VILLAGE + "009")
    assert first.level == "group" and first.parent is village and first.path == village.path + first.code + "/"
    assert add_group(village, "第三村民小组").code == VILLAGE + "003"
    for args in (("第一村民小组",), ("重复代码", "009"), ("坏代码", "1a"), ("零", "000"), ("  ",)):
        with pytest.raises(RegionError):
            add_group(village, *args)
    with pytest.raises(RegionError):
        add_group(region(TOWN), "镇下不能建组")


def test_group_is_inside_the_grid_workers_scope(app):
    from core.auth.models import User
    from core.regions import in_scope
    from core.regions.services import add_group
    group = add_group(region(VILLAGE), "第一村民小组")
    grid1 = db.session.scalar(select(User).where(User.username == "grid1"))
    grid2 = db.session.scalar(select(User).where(User.username == "grid2"))
    assert in_scope(grid1, group.id) and not in_scope(grid2, group.id)


def test_import_adds_updates_and_moves_subtrees(app):
    from core.regions.importer import import_regions_bytes
    csv = HEADER + (f"{VILLAGE}001,一组,group,{VILLAGE},\n"
                    f"{TOWN},柳林洲街道（新）,town,430611000000,\n"
                    "430611001099,新社区,village,430611001000,111\n")
    assert import_regions_bytes(csv.encode()) == {"added": 2, "updated": 1, "rows": 3}
    assert region(TOWN).name == "柳林洲街道（新）" and region("430611001099").urban_rural_code == "111"
    # move a village to another town: its group follows
    csv = HEADER + f"{VILLAGE},柳林社区,village,430611101000,\n"
    import_regions_bytes(csv.encode())
    assert region(VILLAGE + "001").path == "/430000000000/430600000000/430611000000/430611101000/430611001001/430611001001001/"


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"code,name\n1,x\n", "missing: level,parent_code"),
    ((HEADER + "430611009000,某镇,hamlet,430611000000,\n").encode(), ":3: unknown level"),
    ((HEADER + "430611009000,某镇,town,430699000000,\n").encode(), "unknown"),
    ((HEADER + "430611009000,某镇,town,430611001001,\n").encode(), "cannot be under"),
    ((HEADER + "4306110090001234567890,某镇,town,430611000000,\n").encode(), "bad code"),
    ((HEADER + "430611009000,,town,430611000000,\n").encode(), "name"),
    ((HEADER + "430611009000,某镇,town,430611000000,12\n").encode(), "urban-rural"),
    ((HEADER + "430611009000,甲镇,town,430611000000,\n430611009000,乙镇,town,430611000000,\n").encode(), "twice"),
    ("code,name,level,parent_code\n430611009000,某镇,town,430611000000\n".encode("gbk"), "UTF-8"),
    (b'code,name,level,parent_code\n"430611009000,x\n', "not a valid CSV"),
])
def test_bad_csv_is_refused_and_nothing_is_written(app, content, words):
    from core.regions.importer import RegionImportError, import_regions_bytes
    from core.regions.models import Region
    before = db.session.scalar(select(db.func.count(Region.id)))
    good_first = (HEADER + "430611001098,应当不写入,village,430611001000,\n").encode()
    from flask import g
    with app.test_request_context("/"):
        g.lang_choice = "en"
        with pytest.raises(RegionImportError, match=words):
            import_regions_bytes(content if not content.startswith(HEADER.encode()) else good_first + content[len(HEADER):])
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Region.id))) == before


def test_cli_import(app, tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(HEADER + f"{VILLAGE}001,一组,group,{VILLAGE},\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and region(VILLAGE + "001").name == "一组"
    path.write_text(HEADER + "x,坏,nope,,\n", encoding="utf-8")
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("concord: error:")
    result = runner.invoke(args=["regions", "import", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


COUNTIES = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "regions", "counties.csv")


@pytest.mark.skipif(not os.path.exists(COUNTIES), reason="../shared/data/regions/counties.csv is not here")
def test_every_county_can_be_imported_alongside_the_demo_district(app):
    from core.regions.importer import import_regions
    from core.regions.models import Region
    result = import_regions(COUNTIES)
    assert result["rows"] == 3348 and result["added"] == 3348 - 3  # 湖南省, 岳阳市, 君山区 are there already
    assert region("110101000000").name == "东城区"
    assert region(VILLAGE).path.startswith(region("430611000000").path)  # the demo subtree is untouched
    assert db.session.scalar(select(db.func.count(Region.id)).where(Region.level == "county")) == 2975


# -- pages ---------------------------------------------------------------------------------------
def test_region_pages(app, client):
    login(client, "admin")
    html = client.get("/admin/regions/").get_data(as_text=True)
    assert "湖南省" in html
    html = client.get(f"/admin/regions/?parent={VILLAGE}").get_data(as_text=True)
    assert "柳林洲街道" in html and "君山区" in html and "村民小组" in html  # breadcrumbs and the group form
    assert "村民小组" not in client.get(f"/admin/regions/?parent={TOWN}").get_data(as_text=True).split("<main")[1].split("</table>")[1]
    resp = client.post(f"/admin/regions/{VILLAGE}/groups", data={"name": "第一村民小组"})
    assert resp.status_code == 302
    assert region(VILLAGE + "001").name == "第一村民小组"
    resp = client.post(f"/admin/regions/{VILLAGE}/groups", data={"name": "第一村民小组"})
    assert resp.status_code == 200 and "已有名为" in resp.get_data(as_text=True)
    resp = client.post(f"/admin/regions/{VILLAGE}001/edit", data={"name": "一组", "urban_rural_code": "220"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert region(VILLAGE + "001").name == "一组" and region(VILLAGE + "001").urban_rural_code == "220"
    assert client.get("/admin/regions/?parent=999").status_code == 404


def test_region_import_page(app, client):
    login(client, "admin")
    data = {"file": (io.BytesIO((HEADER + f"{VILLAGE}001,一组,group,{VILLAGE},\n").encode()), "groups.csv")}
    resp = client.post("/admin/regions/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302 and region(VILLAGE + "001") is not None
    data = {"file": (io.BytesIO((HEADER + f"{VILLAGE}002,二组,hamlet,{VILLAGE},\n").encode()), "bad.csv")}
    resp = client.post("/admin/regions/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200 and "bad.csv:2" in resp.get_data(as_text=True)
    assert region(VILLAGE + "002") is None


def test_region_pages_need_permission_and_csrf(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "officer", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    assert client.get("/admin/regions/").status_code == 403
    assert client.get("/admin/regions/import").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "admin", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    assert client.post(f"/admin/regions/{VILLAGE}/groups", data={"name": "无令牌"}).status_code == 400
    token = csrf_token_from(client.get(f"/admin/regions/?parent={VILLAGE}").get_data(as_text=True))
    assert client.post(f"/admin/regions/{VILLAGE}/groups", data={"name": "有令牌", "csrf_token": token}).status_code == 302
    assert region(VILLAGE + "001").name == "有令牌"


def test_scope_condition_selects_what_region_id_in_the_subtree_selects(app):
    """``scope_condition`` (``region_id = ANY(ARRAY(…))`` on PostgreSQL) selects the same rows as a plain
    ``region_id IN (SELECT id … path LIKE …)``, and its negation the rest, for every demo user with a region."""
    from core.auth.models import User
    from core.regions.models import Region
    from core.regions.scope import scope_condition
    from plugins.mediation.models import Dispute
    from plugins.petition.models import PetitionCase
    users = [u for u in db.session.scalars(select(User)) if u.region is not None]
    assert {u.username for u in users} >= {"grid1", "mediator"}
    for user in users:
        subtree = select(Region.id).where(Region.path.startswith(user.region.path))
        for model in (PetitionCase, Dispute):
            expected = set(db.session.scalars(select(model.id).where(model.region_id.in_(subtree))))
            scoped = set(db.session.scalars(select(model.id).where(scope_condition(model.region_id, user))))
            assert scoped == expected, (user.username, model.__name__)
            outside = set(db.session.scalars(select(model.id).where(~scope_condition(model.region_id, user))))
            assert outside == set(db.session.scalars(select(model.id).where(model.region_id.not_in(subtree))))


def test_a_scoped_list_page_is_one_statement_the_database_can_keep_a_plan_for(app, login_as):
    """On PostgreSQL a list's region scope reads the region ids once (``= ANY(ARRAY(SELECT …))``, an index
    search, where ``IN`` hash-joined every counted row) and its LIMIT and OFFSET are written in (a bound OFFSET
    made PostgreSQL plan the prepared statement afresh every time); on SQLite the scope stays ``IN (SELECT …)``
    without ``= 1`` (which made SQLite scan) and the LIMIT stays bound (a written one made it sort every row)."""
    from sqlalchemy import event

    from conftest import USE_PG
    seen = []

    def remember(conn, cursor, statement, params, context, executemany):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        for user, page in (("officer", "/petition/"), ("mediator", "/mediation/?page=2"), ("grid1", "/mediation/"),
                           ("officer", "/parties/persons")):
            seen.clear()
            assert login_as(user).get(page).status_code == 200
            listed = [s for s in seen if "list_total" in s]
            assert len(listed) == 1, (user, page)
            sql = " ".join(listed[0].split())
            if USE_PG:
                assert "= ANY(ARRAY(SELECT core_region.id" in sql and " IN (SELECT core_region.id" not in sql
                assert "LIMIT 10001" in sql and "LIMIT 25 OFFSET " + ("25" if "page=2" in page else "0") in sql
            else:
                assert "IN (SELECT core_region.id" in sql and ") = 1" not in sql
                assert "LIMIT ? OFFSET ?" in sql
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
