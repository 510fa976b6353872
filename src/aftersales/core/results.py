"""Using the results (绩效结果运用, source §5.4): R-7.1 … R-7.4 over series of scores."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from aftersales.core.periods import Month

PASS_MARK = Decimal(60)  # below it: 待改进
PROMOTION_MARK = Decimal(90)  # 90分以上
PROMOTION_YEARS = 3  # 连续三次年度综合评价
UNQUALIFIED_MONTHS = 3  # 一年内月度业绩考核连续三次低于60分
FOLLOW_UP_MONTHS = 6  # 调整职位后半年内


def annual_composite(monthly: Mapping[Month, Decimal], year: int) -> Decimal | None:
    """R-7.1 年度综合评价: mean of the year's archived final monthly scores; None without any."""
    scores = [score for month, score in monthly.items() if month.year == year]
    return sum(scores, Decimal(0)) / len(scores) if scores else None


def promotion_candidate(annual: Mapping[int, Decimal], year: int) -> bool:
    """R-7.2 composite ≥ 90 in ``year`` and the two calendar years before it (晋职, 骨干员工)."""
    years = range(year - PROMOTION_YEARS + 1, year + 1)
    return all(y in annual and annual[y] >= PROMOTION_MARK for y in years)


def work_report_required(composite: Decimal) -> bool:
    """R-7.3 composite < 60 → mandatory work report (工作述职)."""
    return composite < PASS_MARK


def unqualified(monthly: Mapping[Month, Decimal], month: Month) -> bool:
    """R-7.4 不合格人员: ``month`` and the two calendar months before it all scored below 60.

    A month without an archived score breaks the run.
    """
    months = [month.shift(-back) for back in range(UNQUALIFIED_MONTHS)]
    return all(m in monthly and monthly[m] < PASS_MARK for m in months)


def follow_up_dismissal_case(monthly: Mapping[Month, Decimal], adjusted_in: Month) -> bool | None:
    """R-7.3 after a position adjustment in ``adjusted_in``: the mean of the first six archived monthly
    scores after that month < 60 → dismissal case (辞退). None until six scores exist."""
    after = [monthly[m] for m in sorted(monthly) if m > adjusted_in][:FOLLOW_UP_MONTHS]
    if len(after) < FOLLOW_UP_MONTHS:
        return None
    return sum(after, Decimal(0)) / FOLLOW_UP_MONTHS < PASS_MARK
