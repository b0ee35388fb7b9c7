"""Every deadline rule against the words of the article it cites, with one worked example computed on
the real official calendar (the holiday table seeded from chinese-calendar; 2026: 元旦 1–3 Jan,
春节 15–23 Feb, 清明 4–6 Apr, 劳动节 1–5 May, 端午 19 Jun, 中秋 25–27 Sep, 国庆 1–7 Oct; 调休 workdays
4 Jan, 14 Feb, 28 Feb, 9 May, 20 Sep, 10 Oct).

Counting (contract §3, 民法典 Arts 201–203, 民事诉讼法 Art 85): the start day is not counted; N days
end on start + N, N months on the same date N months later; a last day that is a rest day or holiday
moves to the next working day; "N个工作日" counts working days only (调休 Saturdays count).

A rule whose length comes from no national text says so in its basis ("地方实践"): there is no
national hearing procedure and no statutory follow-up visit."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from core.calendar.services import compute_rule, get_rule, is_working_day

# Each rule's length, unit, extension, basis (exact), the article's own words, and one worked example
# (start, due, why): tests/data/rule_articles.csv, one row a rule
def _load_rules() -> dict[str, tuple]:
    path = Path(__file__).parent / "data" / "rule_articles.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"]: (int(row["length"]), row["unit"], int(row["extension"]) if row["extension"] else None,
                              row["basis"], row["words"], row["start"], row["due"], row["why"])
                for row in csv.DictReader(f)}


RULES = _load_rules()

def test_every_declared_rule_is_checked_here(app):
    from core.calendar.services import rules
    declared = set(rules())
    missing = sorted(declared - set(RULES) - _other_helpers_rules(declared))
    assert not missing, f"rules without an article check in tests/test_rules_law.py: {missing}"


def _other_helpers_rules(declared):
    # court-linked mediation rules are checked with that feature (contract §10), not here
    return {c for c in declared if c.startswith(("mediation.court_", "mediation.pre_suit"))}


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_length_unit_and_article(app, code):
    length, unit, extension, basis, words, start, due, why = RULES[code]
    rule = get_rule(code)
    assert (rule.length, rule.unit, rule.extension) == (length, unit, extension), code
    assert rule.basis == basis
    # the basis names an article (第…条) or says plainly that the length is local practice
    assert "第" in basis and "条" in basis or basis.startswith("地方实践"), basis
    # the words quoted above carry the length and unit the rule uses
    if words and unit == "working":
        assert "工作日" in words
    if words and unit == "calendar" and not basis.startswith(("宁波", "地方")):
        assert "工作日" not in words


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_worked_example(app, code):
    *_, start, due, why = RULES[code]
    out = compute_rule(code, date.fromisoformat(start))
    assert out["due"] == due, f"{code}: {why}"
    assert out["calendar_incomplete"] is False
    assert is_working_day(date.fromisoformat(due))


def test_legal_aid_counts_calendar_days_not_working_days(app):
    """法律援助法 Art 43 "七日内": 7 calendar days. Received Mon 2 Mar 2026 → decide by Mon 9 Mar,
    not Wed 11 Mar (what 7 working days gave)."""
    assert compute_rule("legal_aid.decide", date(2026, 3, 2))["due"] == "2026-03-09"
    # a last day on a rest day rolls forward: received Mon 2 Feb + 7 = Mon 9 Feb (a working day);
    # received Thu 5 Feb + 7 = 12 Feb; received Tue 10 Feb + 7 = 17 Feb (春节) → 24 Feb
    assert compute_rule("legal_aid.decide", date(2026, 2, 10))["due"] == "2026-02-24"


def test_working_days_remain_a_province_override(make_app):
    """A province still counting 7 working days (the old 2012 rule) overrides the unit with its source."""
    app = make_app({"PROVINCE_OVERRIDES": {"deadlines": {"legal_aid.decide": {
        "unit": "working", "source": "某省法律援助条例 第二十条"}}}})
    with app.app_context():
        rule = get_rule("legal_aid.decide")
        assert (rule.length, rule.unit) == (7, "working")
        assert rule.override_source == "某省法律援助条例 第二十条"
        assert compute_rule("legal_aid.decide", date(2026, 3, 2))["due"] == "2026-03-11"
