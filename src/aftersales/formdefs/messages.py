"""The rules core's template errors (English, for the command line and the API) in the user's language.

``validate_template`` and ``from_dict`` word their refusals in English with the field path apart
(``RuleError.field``). The editor shows the message next to the input the path names, so only the
message is translated here; one the table does not know is shown as the core wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

_Translate = Callable[[re.Match[str]], str]


# (pattern over the whole message, its translation); named groups carry the numbers and codes
_TABLE: list[tuple[str, _Translate]] = [
    (r"is required", lambda m: _("必须填写")),
    (r"must not be empty", lambda m: _("不能为空")),
    (r"must be a number or a decimal string", lambda m: _("须为数字")),
    (r"must be a finite number", lambda m: _("须为数字")),
    (r"must be an integer", lambda m: _("须为整数")),
    (r"must be greater than 0", lambda m: _("须大于0")),
    (r"must not be negative", lambda m: _("不能为负数")),
    (r"must be at least 1", lambda m: _("至少为1")),
    (
        r"must be a lower-case ASCII code .*",
        lambda m: _("须为小写英文代码(a-z、0-9、_，最多64个字符)"),
    ),
    (r"duplicate code '(?P<code>.*)'", lambda m: _("代码“%(code)s”重复") % m.groupdict()),
    (r"must hold at least one section", lambda m: _("至少要有一个考核项目")),
    (
        r"points must sum to (?P<total>\S+), not (?P<sum>\S+)",
        lambda m: _("各考核项目分值之和须为%(total)s，现为%(sum)s") % m.groupdict(),
    ),
    (
        r"must sum to the section's (?P<points>\S+) points, not (?P<sum>\S+)",
        lambda m: _("目标权重之和须等于本项分值%(points)s，现为%(sum)s") % m.groupdict(),
    ),
    (r"must hold 1 to (?P<n>\d+) goal slots", lambda m: _("须有1至%(n)s个目标") % m.groupdict()),
    (
        r"a (?P<kind>\w+) section needs at least (?P<n>\d+) item\(s\)",
        lambda m: _("本项至少需要%(n)s条内容") % m.groupdict(),
    ),
    (
        r"a section graded on response time needs exactly three bands",
        lambda m: _("按响应时间评分的项目须正好有三个档次"),
    ),
    (r"must be 'response_days' or null", lambda m: _("须为 response_days 或留空")),
    (r"not used in a (?P<kind>\w+) section", lambda m: _("此类项目不使用该字段")),
    (r"a goals section has slots, not items", lambda m: _("绩效协议目标项只有目标权重，没有条目")),
    (r"only goals sections have slots", lambda m: _("只有绩效协议目标项才有目标权重")),
    (r"must be between 0 and 100 or null", lambda m: _("须在0至100之间，或留空(不设限)")),
    (
        r"must be greater than lower \((?P<lower>\S+)\)",
        lambda m: _("须大于下限(%(lower)s)") % m.groupdict(),
    ),
    (
        r"must be 0 or null: no band holds the rates below (?P<rate>\S+)",
        lambda m: _("须为0或留空：低于%(rate)s%%的比率没有落在任何档次") % m.groupdict(),
    ),
    (
        r"must be null: no band holds the rates from (?P<rate>\S+)",
        lambda m: _("须留空：%(rate)s%%及以上的比率没有落在任何档次") % m.groupdict(),
    ),
    (
        r"leaves a gap: no band holds the rates from (?P<upper>\S+) to (?P<lower>\S+)",
        lambda m: _("档次之间有空缺：%(upper)s%%至%(lower)s%%的比率没有落在任何档次") % m.groupdict(),
    ),
    (
        r"overlaps the band .*\[(?P<index>\d+)\]",
        lambda m: _("与第%(n)s档重叠") % {"n": int(m["index"]) + 1},
    ),
    (r"must be at least min \((?P<min>\S+)\)", lambda m: _("须不小于最低分(%(min)s)") % m.groupdict()),
    (
        r"must be between (?P<low>\S+) and (?P<high>\S+)",
        lambda m: _("须在%(low)s至%(high)s之间") % m.groupdict(),
    ),
    (
        r"only items of an exclusive group have incident counts",
        lambda m: _("只有互斥组的条目才填写次数范围"),
    ),
    (
        r"exclusive group '(?P<group>.*)' needs at least two items",
        lambda m: _("互斥组“%(group)s”至少需要两条") % m.groupdict(),
    ),
    (
        r"is required: the other items of its group have incident counts",
        lambda m: _("必须填写：同组其他条目已填写次数范围"),
    ),
    (
        r"min must be (?P<n>\d+) so that every incident count selects one item",
        lambda m: _("次数下限须为%(n)s，使每个次数都对应一条") % m.groupdict(),
    ),
    (r"max must be at least min", lambda m: _("次数上限须不小于下限")),
    (r"only the item for the most incidents may have no max", lambda m: _("只有次数最多的一条可以不填上限")),
    (
        r"max must be null: every count from 1 up must select an item",
        lambda m: _("次数上限须留空：1次以上的每个次数都须对应一条"),
    ),
    (r"must be one of .*", lambda m: _("取值无效")),
    (r"unknown field", lambda m: _("不认识的字段")),
]
_COMPILED = [(re.compile(pattern), translate) for pattern, translate in _TABLE]


def rule_message(message: str) -> str:
    """The core's ``message`` (without its field) in the active language."""
    for pattern, translate in _COMPILED:
        match = pattern.fullmatch(message)
        if match is not None:
            return translate(match)
    return message
