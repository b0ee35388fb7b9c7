"""Demo organisations of 君山区 (and the 岳阳市 bodies its residents turn to) and a few demo persons.
Idempotent: organisations are keyed by code, persons by ID number."""
from __future__ import annotations

from sqlalchemy import select

from core.db import db
from core.regions.models import Region
from .models import Organisation, Person
from .services import create_organisation, create_person
from .validation import clean_name, clean_phone, id_check_char

CITY, DISTRICT = "430600000000", "430611000000"

DEMO_ORGANISATIONS = [
    # code, name, kind, region
    ("JS-FY", "君山区人民法院", "court", DISTRICT),
    ("YY-ZJFY", "岳阳市中级人民法院", "court", CITY),
    ("YY-LDZC", "岳阳市劳动人事争议仲裁委员会", "arbitration_commission", CITY),
    ("YY-ZCW", "岳阳仲裁委员会", "arbitration_commission", CITY),
    ("JS-NTZC", "君山区农村土地承包经营纠纷仲裁委员会", "arbitration_commission", DISTRICT),
    ("JS-SFJ", "君山区司法局", "justice_bureau", DISTRICT),
    ("JS-FYZX", "君山区法律援助中心", "legal_aid_centre", DISTRICT),
    ("JS-JCY", "君山区人民检察院", "procuratorate", DISTRICT),
    ("YY-FYB", "岳阳市人民政府行政复议办公室", "department", CITY),
    ("JS-FYB", "君山区人民政府行政复议办公室", "department", DISTRICT),
    ("JS-XFJ", "君山区信访局", "department", DISTRICT),
    ("JS-RSJ", "君山区人力资源和社会保障局", "department", DISTRICT),
    ("JS-GA", "岳阳市公安局君山分局", "police", DISTRICT),
]

# demo persons: ID numbers are made up (a 君山区 address code, a date, the right check digit)
DEMO_PERSONS = [
    ("张建国", "43061119680312351", "13807301234", "君山区柳林洲街道"),
    ("李秀英", "43061119750821402", "13975012345", "君山区广兴洲镇"),
    ("王  建国", None, "13807305678", "君山区许市镇"),
    ("张 建国", None, "138 0730 1234", "君山区柳林洲街道"),  # probably the first one again
]


def seed_demo_parties() -> dict:
    regions = dict(db.session.execute(select(Region.code, Region.id).where(Region.code.in_((CITY, DISTRICT)))).all())
    have = set(db.session.scalars(select(Organisation.code)))
    added = 0
    for code, name, kind, region in DEMO_ORGANISATIONS:
        if code not in have:
            create_organisation(name=name, kind=kind, code=code, region_id=regions.get(region))
            added += 1
    people = 0
    for name, first17, phone, address in DEMO_PERSONS:
        id_number = first17 + id_check_char(first17) if first17 else None
        known = select(Person.id).where(Person.id_number == id_number) if id_number \
            else select(Person.id).where(Person.name == clean_name(name), Person.phone == clean_phone(phone))
        if db.session.scalar(known) is None:
            create_person(name=name, id_number=id_number, phone=phone, address=address,
                          region_id=regions.get(DISTRICT))
            people += 1
    return {"organisations": added, "persons": people}
