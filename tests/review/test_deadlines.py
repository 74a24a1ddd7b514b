from __future__ import annotations

from datetime import UTC, date, datetime

from api.review.deadlines import REVIEW_PERIODS, add_working_days, due_date, period_for


def test_working_days_skip_weekends_and_listed_holidays() -> None:
    fri = date(2026, 11, 20)
    assert add_working_days(fri, 1) == date(2026, 11, 23)  # Monday
    assert add_working_days(fri, 5) == date(2026, 11, 27)
    assert add_working_days(fri, 10) == date(2026, 12, 4)
    assert add_working_days(fri, 1, holidays=[date(2026, 11, 23)]) == date(2026, 11, 24)
    assert add_working_days(fri, 1, extra_workdays=[date(2026, 11, 21)]) == date(2026, 11, 21)


def test_program_periods_come_with_their_clause() -> None:
    assert period_for("guangdong-2018-voucher").working_days == 10
    assert "10个工作日" in period_for("guangdong-2018-voucher").clause_zh
    assert period_for("hebei-2018-benchmark").fixed_date == date(2018, 12, 13)
    assert all(p.clause_zh and p.clause_en for p in REVIEW_PERIODS.values())
    assert period_for("some-new-program").working_days == 10


def test_due_date_counts_from_the_china_date_of_receipt() -> None:
    # 2026-11-20 17:00 UTC is already Saturday the 21st in China
    received = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert due_date("guangdong-2018-voucher", received, received) == date(2026, 12, 4)
    assert due_date("hebei-2018-benchmark", received, received) == date(2018, 12, 13)
