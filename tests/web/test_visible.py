"""The checker of developer notation on pages (used on every page of the access matrix)."""

from tests.web.visible import notation_in as _found


def test_it_finds_rule_ids_intervals_and_formula_symbols_users_would_read():
    assert _found("<p>响应时限(R-8.2)</p>") == ["R-8.2"]
    assert _found('<span title="R-4.4">缺少面谈</span>') == ["R-4.4"]
    assert _found("<span>完成60%及以下 [, 70)</span>") == ["[, 70)"]
    assert _found("<div>人数 3 · d=0.980 · P=4,750.00</div>") == ["d=0", "P=4"]
    assert _found('<table><tr><th>月份</th><th class="text-end">P</th><th>A</th></tr></table>') == [
        '<th class="text-end">P</th>'
    ]


def test_it_leaves_code_comments_and_plain_words_alone():
    assert _found("<!-- R-8.2 --><script>// R-6.4</script><p>70%以下 · 部门绩效系数 0.98</p>") == []
