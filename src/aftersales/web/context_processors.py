"""What every page's navigation needs: which areas and sub-pages the user may open, so that a link
never leads to a refusal (403). Each answer is computed once per page, and only if the page asks."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from aftersales.organisation.access import Viewer, viewer_for


class Navigation:
    """The areas the request's viewer reaches (the predicates take the viewer as they take a login)."""

    def __init__(self, viewer: Viewer) -> None:
        self.user = viewer

    @cached_property
    def organisation_admin(self) -> bool:
        from aftersales.organisation.accounts import may_manage_accounts

        return may_manage_accounts(self.user)

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
        from aftersales.parts.selectors import reads_ledgers

        return reads_ledgers(self.user)

    @cached_property
    def parts_request(self) -> bool:
        from aftersales.parts.selectors import may_request_parts

        return may_request_parts(self.user)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)  # absent on a request refused before authentication (400)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": Navigation(viewer_for(user))}
