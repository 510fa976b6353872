"""What every page's navigation needs: which areas and sub-pages the user may open, so that a link
never leads to a refusal (403). Each answer is computed once per page, and only if the page asks."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from aftersales.organisation.access import AnyUser, employee_of


class Navigation:
    def __init__(self, user: AnyUser) -> None:
        self.user = user

    @cached_property
    def parts(self) -> bool:
        from aftersales.parts.selectors import reaches_parts

        return reaches_parts(self.user)

    @cached_property
    def repair(self) -> bool:
        from aftersales.repair.selectors import reaches_repair

        return reaches_repair(self.user)

    @cached_property
    def parts_stores(self) -> bool:
        """The store ledgers and supplier claims (keepers, their leads, HR)."""
        from aftersales.parts.selectors import stores_visible_to

        return stores_visible_to(self.user).exists()

    @cached_property
    def parts_request(self) -> bool:
        """A requisition (领料申请): an employee with a store to ask."""
        from aftersales.parts.selectors import stores_for_requisition

        return employee_of(self.user) is not None and stores_for_requisition(self.user).exists()


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    return {"nav": Navigation(request.user)}
