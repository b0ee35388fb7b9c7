"""Parties: ID-number checksum, phone and name normal forms, services, duplicate detection, pages."""
from datetime import date

import pytest
from sqlalchemy import select

from conftest import csrf_token_from, login
from core.db import db


def english(app):
    """A request context whose messages are in English."""
    from flask import g
    ctx = app.test_request_context("/")
    ctx.push()
    g.lang_choice = "en"
    return ctx

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def with_check(first17: str) -> str:
    """The check character computed here, independently of the code under test (GB 11643)."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


VALID_IDS = [
    "11010519491231002X",                 # the standard's own example (female, 1949-12-31)
    with_check("43061119680312351"),      # 君山区, male
    with_check("43061120000229402"),      # a leap day, female
    with_check("44052418800101001"),      # born 1880
]


# -- ID numbers ----------------------------------------------------------------------------------
def test_check_digit_matches_an_independent_computation(app):
    from core.parties.validation import id_check_char
    assert VALID_IDS[0][-1] == "X"
    for value in VALID_IDS:
        assert id_check_char(value[:17]) == value[17]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_id_numbers_pass(app, value):
    from core.parties.validation import clean_id_number
    assert clean_id_number(value) == value


def test_id_number_is_normalised(app):
    from core.parties.validation import clean_id_number
    assert clean_id_number(" 11010519491231002x ") == "11010519491231002X"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "11010519491231002X")
    assert clean_id_number(full_width) == "11010519491231002X"
    assert clean_id_number("") is None and clean_id_number(None) is None


def _flip(value: str, i: int) -> str:
    return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1:]


@pytest.mark.parametrize("value, words", [
    (_flip(VALID_IDS[1], 16), "check digit"),               # one digit typed wrong
    (VALID_IDS[1][:17] + ("0" if VALID_IDS[1][17] != "0" else "1"), "check digit"),
    (VALID_IDS[1][:16] + VALID_IDS[1][17] + VALID_IDS[1][16], "check digit"),  # two swapped (if they differ)
    ("11010519491231002", "18 characters"),
    ("1101051949123100X2", "17 digits"),
    (with_check("43061119490231001"), "date of birth"),    # 31 February
    (with_check("43061121990101001"), "date of birth"),    # in the future
    (with_check("99061119680312351"), "province"),
])
def test_invalid_id_numbers_are_refused(app, value, words):
    from core.parties.validation import InvalidValue, clean_id_number
    if value == VALID_IDS[1]:
        pytest.skip("swapping equal digits changes nothing")
    ctx = english(app)
    try:
        with pytest.raises(InvalidValue, match=words):
            clean_id_number(value)
    finally:
        ctx.pop()


def test_gender_and_birth_date_are_derived(app):
    from core.parties.validation import id_birth_date, id_gender
    assert id_gender(VALID_IDS[0]) == "female" and id_birth_date(VALID_IDS[0]) == date(1949, 12, 31)
    assert id_gender(VALID_IDS[1]) == "male" and id_birth_date(VALID_IDS[1]) == date(1968, 3, 12)
    assert id_gender(None) is None and id_birth_date("123") is None


# -- phones and names ----------------------------------------------------------------------------
@pytest.mark.parametrize("raw, clean", [
    ("13807301234", "13807301234"), ("+86 138 0730 1234", "13807301234"), ("138-0730-1234", "13807301234"),
    ("０７３０－８２３１２３４", "0730-8231234"), ("(0730)8231234", "0730-8231234"),
    ("0730 8231234 转 801", "0730-8231234-801"), ("0730-8231234-801", "0730-8231234-801"),
    ("010-62345678", "010-62345678"), ("02188889999", "021-88889999"), ("8231234", "8231234"),
])
def test_phone_numbers_are_normalised(app, raw, clean):
    from core.parties.validation import clean_phone
    assert clean_phone(raw) == clean


@pytest.mark.parametrize("raw", ["12345", "1380730123", "138073012345", "0730-823", "abc", "23807301234", "010-12345678"])
def test_bad_phone_numbers_are_refused(app, raw):
    from core.parties.validation import InvalidValue, clean_phone
    with pytest.raises(InvalidValue):
        clean_phone(raw)


def test_hotlines_only_for_organisations(app):
    from core.parties.validation import InvalidValue, clean_phone
    assert clean_phone("12348", allow_service=True) == "12348"
    assert clean_phone("400-123-4567", allow_service=True) == "4001234567"
    with pytest.raises(InvalidValue):
        clean_phone("12348")


def test_names_are_normalised_for_matching(app):
    from core.parties.validation import normalise_name
    assert normalise_name(" 张　三 ") == normalise_name("张三") == "张三"
    assert normalise_name("买买提•艾力") == normalise_name("买买提・艾力") == "买买提·艾力"
    assert normalise_name("ＺＨＡＮＧ San") == "zhangsan"


# -- services ------------------------------------------------------------------------------------
def test_create_and_update_person(app):
    from core.parties import create_person, update_person
    p = create_person(" 赵 六 ", id_number=VALID_IDS[1].lower(), phone="138 0730 9999", address="君山区")
    assert (p.name, p.name_norm, p.id_number, p.phone) == ("赵 六", "赵六", VALID_IDS[1], "13807309999")
    assert p.gender == "male" and p.version == 1
    update_person(p, phone="0730-8231234")
    db.session.commit()
    assert p.phone == "0730-8231234" and p.id_number == VALID_IDS[1] and p.version == 2
    update_person(p, id_number=None)
    assert p.id_number is None


def test_invalid_person_reports_every_field_in_chinese(app):
    from core.parties import PartyError, Person, create_person
    before = db.session.scalar(select(db.func.count(Person.id)))
    with app.test_request_context("/"):
        with pytest.raises(PartyError) as err:
            create_person("", id_number=_flip(VALID_IDS[1], 3), phone="12", region_id=999999)
    assert set(err.value.errors) == {"name", "id_number", "phone", "region_id"}
    assert "校验码" in err.value.errors["id_number"] and "手机" in err.value.errors["phone"]
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Person.id))) == before


def test_duplicates_come_with_their_reasons(app):
    from core.parties import create_person, find_duplicates
    a = create_person("张三", id_number=VALID_IDS[2], phone="13807301111")
    b = create_person("张　三", phone="138-0730-1111")          # same person typed differently, no ID
    c = create_person("李四", id_number=VALID_IDS[3], phone="13807301111")  # shares only the phone
    create_person("张三", phone="13900000000")                  # same name, other phone
    found = find_duplicates(name="张 三", id_number=VALID_IDS[2], phone="+86 13807301111")
    reasons = {cand.person.id: cand.reasons for cand in found}
    assert reasons == {a.id: ["id_number", "name_phone"], b.id: ["name_phone"]}
    assert found[0].person.id == a.id
    with app.test_request_context("/"):
        assert found[0].reason_labels == ["身份证号相同", "姓名和电话相同"]
    assert find_duplicates(id_number=VALID_IDS[3])[0].person.id == c.id
    assert find_duplicates(name="张三", id_number=VALID_IDS[2], phone="13807301111", exclude_id=a.id)[0].person.id == b.id
    assert find_duplicates(name="张三", id_number="not-an-id", phone=None) == []


def test_find_or_create_reuses_the_person_with_the_same_id(app):
    from core.parties import find_or_create_person
    p, created = find_or_create_person("王五", id_number=VALID_IDS[3])
    again, created_again = find_or_create_person("王 五", id_number=VALID_IDS[3].lower(), phone="13807302222")
    assert created and not created_again and again.id == p.id
    other, created_other = find_or_create_person("王五")
    assert created_other and other.id != p.id


def test_duplicate_lookups_use_indexes(app):
    from core.parties.models import Person
    indexed = {tuple(c.name for c in ix.columns) for ix in Person.__table__.indexes}
    assert ("id_number",) in indexed and ("name_norm", "phone") in indexed


def test_organisations(app):
    from core.parties import PartyError, create_organisation, organisation_by_code, organisations, update_organisation
    org = create_organisation("君山区某某调解中心", "other", code="js-tj", phone="12348")
    assert org.code == "JS-TJ" and organisation_by_code("js-tj") is org
    with app.test_request_context("/"):
        with pytest.raises(PartyError) as err:
            create_organisation("另一个", "court", code="JS-TJ")
        assert "JS-TJ" in err.value.errors["code"]
        with pytest.raises(PartyError) as err:
            create_organisation("无类别", "bank")
        assert "kind" in err.value.errors
    update_organisation(org, active=False)
    assert org not in organisations("other") and org in organisations("other", active_only=False)


def test_demo_organisations_are_seeded_once(app):
    from core.parties import Organisation, organisation_by_code
    from core.parties.seed import DEMO_ORGANISATIONS, seed_demo_parties
    assert organisation_by_code("JS-FY").name == "君山区人民法院"
    assert organisation_by_code("JS-FYZX").kind == "legal_aid_centre"
    assert organisation_by_code("YY-LDZC").region.code == "430600000000"
    assert seed_demo_parties() == {"organisations": 0, "persons": 0}
    assert db.session.scalar(select(db.func.count(Organisation.id))) == len(DEMO_ORGANISATIONS)


def test_scope_condition(app):
    from core.auth.models import User
    from core.parties import Person, create_person
    from core.regions.scope import scope_condition
    grid1 = db.session.scalar(select(User).where(User.username == "grid1"))
    grid2 = db.session.scalar(select(User).where(User.username == "grid2"))
    mine = create_person("甲", region_id=grid1.region_id)
    theirs = create_person("乙", region_id=grid2.region_id)
    loose = create_person("丙")
    seen = set(db.session.scalars(select(Person.id).where(scope_condition(Person.region_id, grid1, include_unassigned=True))))
    assert mine.id in seen and loose.id in seen and theirs.id not in seen
    strict = set(db.session.scalars(select(Person.id).where(scope_condition(Person.region_id, grid1))))
    assert mine.id in strict and loose.id not in strict


# -- pages ---------------------------------------------------------------------------------------
def test_persons_list_masks_and_searches(app, client):
    from core.parties import create_person
    create_person("欧阳 修", id_number=VALID_IDS[1], phone="13807305555")
    db.session.commit()
    login(client, "officer")
    html = client.get("/parties/persons?q=欧阳修").get_data(as_text=True)
    assert "欧阳 修" in html and "张建国" not in html
    assert VALID_IDS[1] not in html and "13807305555" not in html
    assert VALID_IDS[1][:4] + "*" in html and "138****5555" in html
    csv = client.get("/parties/persons?format=csv").get_data(as_text=True)
    assert "欧阳 修" in csv and VALID_IDS[1] not in csv


def test_person_page_shows_possible_duplicates(app, client):
    from core.parties import Person
    # the core seed's 张建国 (the court and centre seeds add namesakes later)
    first = db.session.scalar(select(Person).where(Person.name == "张建国").order_by(Person.id).limit(1))
    login(client, "mediator")
    html = client.get(f"/parties/persons/{first.id}").get_data(as_text=True)
    assert "张 建国" in html and "姓名和电话相同" in html
    assert first.id_number not in html           # a mediator never sees the ID in full
    assert client.get("/parties/persons/999999").status_code == 404


def test_parties_pages_need_their_permissions(app, client):
    login(client, "grid1")
    assert client.get("/parties/persons").status_code == 403
    assert client.get("/parties/organisations").status_code == 403
    client.post("/logout")
    login(client, "mediator")
    assert client.get("/parties/persons").status_code == 200
    assert client.get("/parties/organisations").status_code == 200
    assert client.get("/parties/organisations/new").status_code == 403
    assert client.post("/parties/organisations/new", data={"name": "x", "kind": "court"}).status_code == 403


def test_organisation_create_and_edit_pages(app, client):
    from core.parties import Organisation, organisation_by_code
    login(client, "legal")
    assert "君山区人民法院" in client.get("/parties/organisations?kind=court").get_data(as_text=True)
    resp = client.post("/parties/organisations/new", data={
        "name": "君山区钱粮湖镇人民调解委员会", "kind": "other", "code": "JS-QLH-TW", "phone": "0730 8231234"})
    assert resp.status_code == 302
    org = organisation_by_code("JS-QLH-TW")
    assert org.phone == "0730-8231234"
    resp = client.post(f"/parties/organisations/{org.id}", data={
        "name": org.name, "kind": "other", "code": "JS-FY", "phone": "12", "version": org.version})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "已有其他单位使用代码 JS-FY" in html and "手机" in html
    form = {"name": "钱粮湖镇调委会", "kind": "other", "code": "JS-QLH-TW", "active": "y", "version": org.version}
    assert client.post(f"/parties/organisations/{org.id}", data=form).status_code == 302
    assert client.post(f"/parties/organisations/{org.id}", data=form).status_code == 409  # stale version
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "钱粮湖镇调委会"


def test_organisation_form_needs_csrf(csrf_app):
    from core.parties import organisation_by_code
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "officer", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    data = {"name": "测试单位", "kind": "other", "code": "T-CSRF"}
    assert client.post("/parties/organisations/new", data=data).status_code == 400
    data["csrf_token"] = csrf_token_from(client.get("/parties/organisations/new").get_data(as_text=True))
    assert client.post("/parties/organisations/new", data=data).status_code == 302
    assert organisation_by_code("T-CSRF") is not None
