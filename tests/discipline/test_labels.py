"""Article numbers read in Chinese (R-6.4's catalogue cites 第十四条第三款): any number HR may type
reads, so a new reason never breaks the catalogue (a 500 schemathesis found on article 100+)."""

from __future__ import annotations

import pytest

from aftersales.discipline.models import chinese_number


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (14, "十四"),
        (20, "二十"),
        (35, "三十五"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1010, "一千零一十"),
        (2300, "二千三百"),
        (32767, "32767"),
    ],
)
def test_numbers_read_in_chinese(number, text):
    assert chinese_number(number) == text
