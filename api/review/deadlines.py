"""Review deadlines per program: how long an office has to decide an application.

Data, with the clause each figure comes from (PROGRAMS.md quotes the notices). A
program the table does not name gets ``DEFAULT``. Working days are Monday to Friday
counted from the day after the application reached the service (China time);
statutory holidays and the weekend days made working days (调休) are not in the
table — ``add_working_days`` takes them as arguments for a deployment that keeps
the State Council's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class ReviewPeriod:
    working_days: int | None  # counted from receipt; None when the notice fixes a date
    fixed_date: date | None  # the last day, when the notice names one
    clause_zh: str
    clause_en: str


REVIEW_PERIODS: dict[str, ReviewPeriod] = {
    "guangdong-2018-voucher": ReviewPeriod(
        10, None,
        "粤府〔2018〕23号配套工作方案：服务券申请在10个工作日内完成审核（企业基本信息5个工作日）",
        "Guangdong work plan (粤府〔2018〕23号): voucher applications reviewed within 10 working days "
        "(basic information within 5)"),
    "hebei-2018-benchmark": ReviewPeriod(
        None, date(2018, 12, 13),
        "冀工信两化〔2018〕524号：12月11日前县级审核，12月13日前市级审核，12月15日系统关闭",
        "Hebei notice 冀工信两化〔2018〕524号: county review by 11 Dec, city review by 13 Dec 2018, "
        "system closes 15 Dec"),
    "inner-mongolia-2019-voucher": ReviewPeriod(
        10, None,
        "通知（2019-09-11）未规定审核时限；部署默认10个工作日",
        "the notice of 2019-09-11 sets no review period: deployment default of 10 working days"),
    "yichun-2023": ReviewPeriod(
        10, None,
        "伊春市实施细则（细则八）未规定审核时限；部署默认10个工作日",
        "Yichun rules (细则八) set no review period: deployment default of 10 working days"),
}
DEFAULT = ReviewPeriod(10, None, "未登记的项目：默认10个工作日", "program not in the table: 10 working days")


def period_for(program: str) -> ReviewPeriod:
    return REVIEW_PERIODS.get(program, DEFAULT)


def add_working_days(start: date, n: int, *, holidays: Iterable[date] = (),
                     extra_workdays: Iterable[date] = ()) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted)."""
    off, on = set(holidays), set(extra_workdays)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day in on or (day.weekday() < 5 and day not in off):
            counted += 1
    return day


def received_on(submitted_at: datetime | None, created_at: datetime) -> date:
    return (submitted_at or created_at).astimezone(CHINA).date()


def due_date(program: str, submitted_at: datetime | None, created_at: datetime) -> date:
    period = period_for(program)
    if period.fixed_date is not None:
        return period.fixed_date
    return add_working_days(received_on(submitted_at, created_at), period.working_days or 10)


def today_china() -> date:
    return datetime.now(CHINA).date()
