"""`concord deadline …` and `concord calendar …` on the seeded database (contract §2, §3)."""
import json
import os
import subprocess
import sys
from datetime import date

import chinese_calendar as cc
import pytest

from core.calendar.cache import get_calendar

DATA = os.path.join(os.path.dirname(__file__), "data")
CONTRACT_RULES = {
    "petition.register_forward": (15, "calendar", "信访工作条例 第二十二条"),
    "petition.accept_notice": (15, "calendar", "信访工作条例 第二十三条"),
    "petition.jurisdiction_objection": (5, "working", "信访工作条例 第二十三条"),
    "petition.handle": (60, "calendar", "信访工作条例 第三十四条"),
    "petition.review_request": (30, "calendar", "信访工作条例 第三十五条"),
    "petition.review_decide": (30, "calendar", "信访工作条例 第三十五条"),
    "petition.recheck_request": (30, "calendar", "信访工作条例 第三十六条"),
    "petition.recheck_decide": (30, "calendar", "信访工作条例 第三十六条"),
    "legal_aid.decide": (7, "calendar", "法律援助法 第四十三条"),
    "legal_aid.assign": (3, "calendar", "法律援助法 第四十三条"),
    "legal_aid.objection_decide": (5, "calendar", "法律援助法 第四十九条"),
    "mediation.judicial_confirmation_apply": (30, "calendar", "人民调解法 第三十三条"),
    "referral.admin_reconsideration_file": (60, "calendar", "行政复议法 第二十条"),
    "referral.admin_litigation_file": (6, "months", "行政诉讼法 第四十六条"),
    "referral.labour_arbitration_file": (12, "months", "劳动争议调解仲裁法 第二十七条"),
    "referral.civil_litigation_limitation": (36, "months", "民法典 第一百八十八条"),
}


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def compute(app, *args):
    result = invoke(app, "deadline", "compute", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def refused(app, *args):
    result = invoke(app, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_compute_prints_the_contract_json(app):
    out = compute(app, "--rule", "petition.handle", "--start", "2026-08-03")
    assert {k: out[k] for k in ("due", "calendar_incomplete", "rule", "basis")} == {
        "due": "2026-10-08", "calendar_incomplete": False, "rule": "petition.handle",
        "basis": "信访工作条例 第三十四条"}
    assert out["explain"]["end_before_roll"] == "2026-10-02"
    out = compute(app, "--days", "5", "--unit", "working", "--start", "2026-09-30")
    assert (out["due"], out["rule"], out["basis"]) == ("2026-10-13", None, None)
    assert compute(app, "--months", "1", "--start", "2026-01-31")["due"] == "2026-02-28"
    assert compute(app, "--days", "15", "--start", "2026-03-06")["due"] == "2026-03-23"
    out = compute(app, "--rule", "petition.handle", "--start", "2026-08-03", "--extended", "--no-explain")
    assert out["due"] == "2026-11-02" and "explain" not in out


def test_pauses_on_the_command_line(app):
    assert compute(app, "--days", "30", "--start", "2026-03-02", "--pause", "2026-03-10:2026-03-19")["due"] == "2026-04-13"
    assert compute(app, "--days", "5", "--unit", "working", "--start", "2026-03-02",
                   "--pause", "2026-03-04:2026-03-04", "--pause", "2026-03-05:2026-03-05")["due"] == "2026-03-11"


def test_every_contract_rule_is_listed_with_its_basis(app):
    result = invoke(app, "deadline", "rules", "--json")
    assert result.exit_code == 0, result.output
    listed = {r["code"]: (r["length"], r["unit"], r["basis"]) for r in json.loads(result.stdout)}
    for code, expected in CONTRACT_RULES.items():
        assert listed[code] == expected, code
    assert [r for r in json.loads(result.stdout) if r["code"] == "petition.handle"][0]["extension"] == 30
    text = invoke(app, "deadline", "rules").stdout
    assert "petition.handle" in text and "信访工作条例 第三十四条" in text


@pytest.mark.parametrize("args,fragment", [
    (("deadline", "compute", "--rule", "petition.nope", "--start", "2026-01-05"), "unknown deadline rule"),
    (("deadline", "compute", "--days", "3", "--start", "2026-02-30"), "2026-02-30"),
    (("deadline", "compute", "--days", "3", "--start", "2026-03-01", "--pause", "2026-03-05:2026-03-02"), "ends before"),
    (("deadline", "compute", "--days", "3", "--start", "2026-03-01", "--pause", "2026-03-05"), "YYYY-MM-DD:YYYY-MM-DD"),
    (("deadline", "compute", "--days", "3", "--months", "2", "--start", "2026-03-01"), "exactly one"),
    (("deadline", "compute", "--days", "3"), "--start"),
    (("deadline", "compute", "--days", "-3", "--start", "2026-03-01"), "positive whole number"),
    (("deadline", "compute", "--days", "0", "--start", "2026-03-01"), "length"),
    (("deadline", "compute", "--days", "3", "--unit", "weeks", "--start", "2026-03-01"), "--unit"),
    (("deadline", "compute", "--rule", "legal_aid.decide", "--extended", "--start", "2026-03-01"), "no extension"),
    (("deadline", "compute", "--months", "36", "--start", "2098-03-01"), "2099"),
    (("deadline", "compute", "--frobnicate"), "frobnicate"),
])
def test_bad_input_exits_2_with_one_line(app, args, fragment):
    assert fragment in refused(app, *args)


def test_table_engine_agrees_with_chinese_calendar_2004_2026(app):
    cal = get_calendar(2004, 2026)
    first, last = date(2004, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    wrong = [d for d in map(date.fromordinal, range(first, last + 1)) if cal.is_working(d) != cc.is_workday(d)]
    assert wrong == []
    assert not cal.any_uncovered(first, last)


def test_2027_is_incomplete_until_its_notice_is_imported(app):
    before = compute(app, "--days", "5", "--unit", "working", "--start", "2027-09-24")
    assert (before["due"], before["calendar_incomplete"]) == ("2027-10-04", True)
    assert compute(app, "--days", "15", "--start", "2027-09-20")["due"] == "2027-10-05"
    notice = os.path.join(DATA, "holiday_notice_2027.txt")

    dry = invoke(app, "calendar", "import-notice", notice, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2027-09-26  workday" in dry.stdout and "nothing written" in dry.stdout
    assert compute(app, "--days", "5", "--unit", "working", "--start", "2027-09-24")["calendar_incomplete"] is True

    done = invoke(app, "calendar", "import-notice", notice)
    assert done.exit_code == 0, done.output
    assert "2027-10-07  holiday  国庆节" in done.stdout and "34 added" in done.stdout
    after = compute(app, "--days", "5", "--unit", "working", "--start", "2027-09-24")
    assert (after["due"], after["calendar_incomplete"]) == ("2027-09-30", False)  # Sun 09-26 is worked
    after = compute(app, "--days", "15", "--start", "2027-09-20")
    assert (after["due"], after["calendar_incomplete"]) == ("2027-10-08", False)  # 10-05 is now a holiday
    again = invoke(app, "calendar", "import-notice", notice)
    assert "0 added, 0 changed" in again.stdout


def test_importing_the_2026_notice_changes_nothing(app):
    result = invoke(app, "calendar", "import-notice", os.path.join(DATA, "holiday_notice_2026.txt"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would get 0 new and 0 changed" in result.stdout


def test_import_errors_exit_2(app, tmp_path):
    assert "cannot read" in refused(app, "calendar", "import-notice", str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("关于2027年部分节假日安排的通知\n二、春节：2月5日至12日放假调休，共9天。", encoding="utf-8")
    assert "states 9 days" in refused(app, "calendar", "import-notice", str(bad))
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    assert "not a text file" in refused(app, "calendar", "import-notice", str(binary))
    assert compute(app, "--days", "5", "--unit", "working", "--start", "2027-09-24")["calendar_incomplete"] is True


def test_province_override_from_concord_toml(make_app, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "concord.toml").write_text(
        '[deadlines."petition.handle"]\nlength = 30\nsource = "浙江省信访条例 第二十三条"\n', encoding="utf-8")
    app = make_app()
    with app.app_context():
        out = compute(app, "--rule", "petition.handle", "--start", "2026-08-03")
        assert out["due"] == "2026-09-02" and out["override_source"] == "浙江省信访条例 第二十三条"
        listing = invoke(app, "deadline", "rules").stdout
        line = next(l for l in listing.splitlines() if l.startswith("petition.handle"))
        assert "浙江省信访条例 第二十三条" in line and "national 60" in line


def test_bad_override_is_one_line(make_app):
    app = make_app({"PROVINCE_OVERRIDES": {"deadlines": {"petition.handle": {"length": -4, "source": "x"}}}})
    with app.app_context():
        assert "length" in refused(app, "deadline", "compute", "--rule", "petition.handle", "--start", "2026-08-03")


def test_the_installed_command_never_shows_a_traceback(db_url, tmp_path):
    env = dict(os.environ, DATABASE_URL=db_url, CONCORD_INSTANCE=str(tmp_path / "inst"))
    concord = os.path.join(os.path.dirname(sys.executable), "concord")
    proc = subprocess.run([concord, "deadline", "compute", "--days", "3", "--start", "2026-02-30"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    proc = subprocess.run([concord, "deadline", "compute", "--rule", "petition.accept_notice", "--start", "2026-02-01"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["due"] == "2026-02-24"
