"""Review deadlines per program: how long an office has to decide an application.

Data, with the clause each figure comes from (PROGRAMS.md quotes the notices). A
program the table does not name gets ``DEFAULT``. Working days are Monday to Friday
counted from the day after the application reached the service (China time);
statutory holidays and the weekend days made working days (调休) are not in the
table — ``add_working_days`` takes them as arguments for a deployment that keeps
the State Council's calendar.

The queue sorts and pages in the database, so ``due_day_sql`` states the same rule in
SQL (SQLite and PostgreSQL), built from the same table: without holidays the days from
receipt to deadline depend only on the weekday of receipt, so seven offsets per period
computed here with ``add_working_days`` are all the SQL needs. Dates in SQL are day
numbers (days since 1970-01-01), which both databases count alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import BigInteger, Date, Integer, Interval, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

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


def _working_days(period: ReviewPeriod) -> int:
    return period.working_days or 10


def due_date(program: str, submitted_at: datetime | None, created_at: datetime) -> date:
    period = period_for(program)
    if period.fixed_date is not None:
        return period.fixed_date
    return add_working_days(received_on(submitted_at, created_at), _working_days(period))


# --- the same rule in SQL ---------------------------------------------------------------

EPOCH = date(1970, 1, 1)
_UTC_OFFSET_S = int(CHINA.utcoffset(None).total_seconds())


def day_number(day: date) -> int:
    return (day - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=n)


def received_day_sql(at: Any, dialect: str) -> ColumnElement[int]:
    """The day number of the China date of a stored UTC timestamp."""
    if dialect == "sqlite":  # stored as UTC text, which strftime('%s') reads as UTC
        seconds = cast(func.strftime("%s", at), BigInteger)
        return (seconds + _UTC_OFFSET_S) // 86400  # non-negative: integer division is the floor
    # date arithmetic: cheaper per row than the epoch's numeric
    china = func.timezone("UTC", at) + literal(timedelta(seconds=_UTC_OFFSET_S), Interval)
    return cast(cast(china, Date) - literal(EPOCH, Date), Integer)


def _offsets(working_days: int) -> list[int]:
    """Days from receipt to deadline, by the weekday of receipt (Monday 0)."""
    monday = date(2024, 1, 1)
    starts = [monday + timedelta(days=w) for w in range(7)]
    return [(add_working_days(d, working_days) - d).days for d in starts]


def _period_sql(period: ReviewPeriod, received_day: Any, weekday: Any) -> ColumnElement[int]:
    if period.fixed_date is not None:
        return literal(day_number(period.fixed_date), Integer)
    offsets = _offsets(_working_days(period))
    usual = Counter(offsets).most_common(1)[0][0]
    exceptions = {w: o for w, o in enumerate(offsets) if o != usual}
    if not exceptions:
        return received_day + usual
    return received_day + case(exceptions, value=weekday, else_=usual)


def due_day_sql(program: Any, received_day: Any) -> ColumnElement[int]:
    """``due_date`` in SQL, as a day number: the program's period applied to ``received_day``."""
    weekday = (received_day % 7 + 7 + EPOCH.weekday()) % 7  # Monday 0, even before 1970
    groups: dict[tuple[int | None, date | None], list[str]] = {}
    for name, period in REVIEW_PERIODS.items():
        rule = (None if period.fixed_date else _working_days(period), period.fixed_date)
        groups.setdefault(rule, []).append(name)
    default_rule = (None if DEFAULT.fixed_date else _working_days(DEFAULT), DEFAULT.fixed_date)
    whens = [(program.in_(names), _period_sql(period_for(names[0]), received_day, weekday))
             for rule, names in groups.items() if rule != default_rule]
    otherwise = _period_sql(DEFAULT, received_day, weekday)
    return case(*whens, else_=otherwise) if whens else otherwise


def today_china() -> date:
    return datetime.now(CHINA).date()
