"""Simplified Chinese as Django gives it, but amounts grouped by thousands with a comma (千分位), as
Chinese payroll and accounting software shows them (1,234,567.50); Django's own zh_Hans has no
separator, so ``floatformat:"2g"`` grouped in English only. Every other format is looked up in
Django's zh_Hans module after this one (``get_format`` tries the modules in turn)."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
