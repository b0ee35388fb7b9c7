"""Reading the State Council holiday notice: checked against the official data in chinese_calendar."""
import os
from datetime import date

import chinese_calendar as cc
import pytest

from core.calendar.notice import NoticeError, parse_notice

DATA = os.path.join(os.path.dirname(__file__), "data")


def official(year):
    return ({(d, "holiday") for d in cc.holidays if d.year == year}
            | {(d, "workday") for d in cc.workdays if d.year == year})


def parsed(notice):
    return {(e.date, e.kind) for e in notice.entries}


def test_the_2026_notice_gives_the_official_2026_calendar():
    with open(os.path.join(DATA, "holiday_notice_2026.txt"), encoding="utf-8") as fh:
        notice = parse_notice(fh.read())
    assert notice.year == 2026
    assert parsed(notice) == official(2026)
    names = {e.date: e.name for e in notice.entries}
    assert names[date(2026, 2, 14)] == "春节" and names[date(2026, 10, 10)] == "国庆节"


NOTICE_2025 = ("国务院办公厅关于2025年部分节假日安排的通知 "
               "一、元旦:1月1日(周三)放假1天,不调休。"
               "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。"
               "三、清明节：4月4日（周五）至6日（周日）放假，共3天。"
               "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。"
               "五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。"
               "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。")


def test_one_line_mixed_punctuation_cross_month_ranges():
    notice = parse_notice(NOTICE_2025)
    assert parsed(notice) == official(2025)
    assert {e.name for e in notice.entries if e.date == date(2025, 10, 8)} == {"国庆节、中秋节"}


def test_new_year_across_the_year_end():
    explicit = parse_notice("国务院办公厅关于2019年部分节假日安排的通知\n"
                            "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。")
    implicit = parse_notice("一、元旦：12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。", year=2019)
    expected = {(date(2018, 12, 29), "workday"), (date(2018, 12, 30), "holiday"),
                (date(2018, 12, 31), "holiday"), (date(2019, 1, 1), "holiday")}
    assert parsed(explicit) == parsed(implicit) == expected
    assert expected <= official(2018) | official(2019)


def test_full_width_digits_and_day_in_lieu():
    notice = parse_notice("关于２０１７年部分节假日安排的通知\n一、元旦：１月１日放假，１月２日（星期一）补休。")
    assert parsed(notice) == {(date(2017, 1, 1), "holiday"), (date(2017, 1, 2), "holiday")}
    assert {(date(2017, 1, 1), "holiday"), (date(2017, 1, 2), "holiday")} <= official(2017)


@pytest.mark.parametrize("text,message", [
    ("关于2027年部分节假日安排的通知\n二、春节：2月5日至12日放假调休，共9天。", "9 days"),
    ("关于2027年部分节假日安排的通知\n二、春节：2月30日放假。", "2027-02-30"),
    ("关于2027年部分节假日安排的通知\n节假日期间，各地区要妥善安排值班。", "no holiday arrangements"),
    ("春节：2月5日放假。", "no year"),
    ("关于2027年部分节假日安排的通知\n一、春节：2月5日放假。2月5日上班。", "both"),
    ("   ", "empty"),
])
def test_unreadable_notices_are_refused(text, message):
    with pytest.raises(NoticeError, match=message):
        parse_notice(text)
