"""Triage rules as data (分流规则) and the centre's default units: a county changes both on the rules page."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import db
from core.toolkit import ServiceError, clean_text
from .models import CATEGORIES, KINDS, ROUTES, TriageRule, Unit

# name, kind, route, speciality
DEFAULT_UNITS = [
    ("县信访局（人民来访接待中心）", "petition_office", "petition", ""),
    ("县劳动争议人民调解委员会", "mediation_committee", "mediation", "labour"),
    ("县医疗纠纷人民调解委员会", "mediation_committee", "mediation", "medical"),
    ("县道路交通事故人民调解委员会", "mediation_committee", "mediation", "traffic"),
    ("县婚姻家庭纠纷人民调解委员会", "mediation_committee", "mediation", "marriage_family"),
    ("县物业纠纷人民调解委员会", "mediation_committee", "mediation", "property_management"),
    ("县人民调解委员会", "mediation_committee", "mediation", ""),
    ("县法律援助中心", "legal_aid", "legal_aid", ""),
    ("县人民法院诉讼服务中心", "court", "court", ""),
    ("县人力资源和社会保障局窗口", "department", "department", "labour"),
    ("县住房和城乡建设局窗口", "department", "department", "housing_homestead"),
    ("县自然资源局窗口", "department", "department", "land_acquisition_demolition"),
    ("县市场监督管理局窗口", "department", "department", "consumer"),
]
# name, kind, category, min_amount, min_parties, keywords, route, unit name, note
DEFAULT_RULES = [
    ("群体性劳动争议先交信访登记", "dispute", "labour", None, 10, "", "petition", "县信访局（人民来访接待中心）",
     "十人以上的劳动争议按群体性事项登记，调解委员会协办"),
    ("劳动争议→劳动争议调委会", "dispute", "labour", None, None, "", "mediation", "县劳动争议人民调解委员会", ""),
    ("医疗纠纷→医调委", "dispute", "medical", None, None, "", "mediation", "县医疗纠纷人民调解委员会", ""),
    ("交通事故→交调委", "dispute", "traffic", None, None, "", "mediation", "县道路交通事故人民调解委员会", ""),
    ("婚姻家庭→婚调委", "dispute", "marriage_family", None, None, "", "mediation", "县婚姻家庭纠纷人民调解委员会", ""),
    ("物业纠纷→物调委", "dispute", "property_management", None, None, "", "mediation", "县物业纠纷人民调解委员会", ""),
    ("大额合同纠纷→法院诉讼服务中心", "dispute", "contract", Decimal("500000"), None, "", "court",
     "县人民法院诉讼服务中心", "标的额五十万元以上的合同纠纷引导诉讼（诉调对接）"),
    ("欠薪投诉→人社局窗口", "department", None, None, None, "欠薪,工资,社保", "department", "县人力资源和社会保障局窗口", ""),
    ("其他纠纷→县人民调解委员会", "dispute", None, None, None, "", "mediation", "县人民调解委员会", ""),
    ("信访事项→信访登记", "petition", None, None, None, "", "petition", "县信访局（人民来访接待中心）", ""),
]


def seed_defaults(region_id: int | None = None) -> int:
    """The default units and triage lines, once (nothing is added when any unit exists)."""
    if db.session.scalar(select(Unit.id).limit(1)) is not None:
        return 0
    units = {}
    for i, (name, kind, route, spec) in enumerate(DEFAULT_UNITS):
        units[name] = Unit(name=name, kind=kind, route=route, speciality=spec, region_id=region_id, sort=10 * (i + 1))
        db.session.add(units[name])
    db.session.flush()
    for i, (name, kind, cat, amount, parties, words, route, unit, note) in enumerate(DEFAULT_RULES):
        db.session.add(TriageRule(name=name, kind=kind, category=cat, min_amount=amount, min_parties=parties,
                                  keywords=words, route=route, unit=units[unit], note=note, sort=10 * (i + 1)))
    db.session.flush()
    return len(DEFAULT_UNITS)


def add_rule(form) -> TriageRule:
    errors: dict = {}
    name = clean_text(form.get("name"), "name", 100, errors)
    kind = form.get("kind") or None
    category = form.get("category") or None
    route = form.get("route") or ""
    if kind is not None and kind not in KINDS:
        errors["kind"] = _("Choose a kind from the list.")
    if category is not None and category not in CATEGORIES:
        errors["category"] = _("Choose a category from the list.")
    if route not in ROUTES:
        errors["route"] = _("Choose a route from the list.")
    unit = db.session.get(Unit, int(form.get("unit_id"))) if (form.get("unit_id") or "").isdigit() else None
    amount = None
    if form.get("min_amount"):
        try:
            amount = Decimal(form.get("min_amount")).quantize(Decimal("0.01"))
        except Exception:
            errors["min_amount"] = _("Enter an amount of money of 0 or more.")
    try:
        sort = int(form.get("sort") or 100)
    except ValueError:
        sort = 100
    if errors:
        raise ServiceError(errors)
    rule = TriageRule(name=name, kind=kind, category=category, route=route, unit=unit, min_amount=amount,
                      keywords=(form.get("keywords") or "")[:300], sort=sort)
    db.session.add(rule)
    db.session.flush()
    return rule
