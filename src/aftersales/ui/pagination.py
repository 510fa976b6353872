"""Keyset pagination for the API lists that grow with history (issue 11).

Page-number pagination counts every row and skips ``offset`` rows for a deep page, so both grow
with the years of history. A list with ``KeysetPagination`` answers ``{"next", "previous",
"results"}``: ``next``/``previous`` are links with an opaque ``cursor`` that continues after the
last row on the primary key (an index), newest first; no count.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
