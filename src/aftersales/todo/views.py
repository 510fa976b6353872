"""The to-do page, the menu's count and the bulk actions (issue 11)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from aftersales.todo import bulk
from aftersales.todo.tasks import count_for, groups_for


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Everything waiting for this person, by kind, each item linking to where it is done."""
    groups = [group for group in groups_for(request.user) if group.key != "overdue"]
    return render(
        request,
        "todo/index.html",
        {
            "groups": [(group, bulk.ACTIONS.get(group.bulk)) for group in groups if group.count],
            "empty": [group for group in groups if not group.count],
            "total": sum(group.count for group in groups),
        },
    )


@require_GET
@login_required
def count(request: HttpRequest) -> HttpResponse:
    """The menu's badge (loaded by htmx after the page, so no page pays for it)."""
    return render(request, "todo/_count.html", {"count": count_for(request.user)})


@require_POST
@login_required
def bulk_action(request: HttpRequest, key: str) -> HttpResponse:
    """Two posts: the selection is shown for one confirmation, then every row is taken on its own."""
    action = bulk.ACTIONS.get(key)
    if action is None:
        raise Http404
    ready = _ready(request, key)
    pks = list(ready) if request.POST.get("all") == "1" else _ticked(request)
    if request.POST.get("confirm") != "1" or not pks:
        records = action.records().filter(pk__in=[pk for pk in pks if pk in ready][: bulk.LIMIT])
        rows = [(record.pk, action.label(record)) for record in records]
        # nothing of the caller's list ticked: refused in place (400), nothing to confirm or do
        return render(
            request,
            "todo/bulk_confirm.html",
            {"key": key, "action": action, "rows": rows},
            status=200 if rows else 400,
        )
    results = bulk.run(key, pks, request.user, ready=ready)
    return render(
        request,
        "todo/bulk_result.html",
        {
            "action": action,
            "results": results,
            "done": sum(1 for row in results if row.done),
            "refused": sum(1 for row in results if not row.done),
        },
    )


def _ready(request: HttpRequest, key: str) -> set[int]:
    """The records of the user's own to-do list this action takes now: a bulk action reaches
    nothing else (and names nothing else)."""
    return {
        task.pk
        for group in groups_for(request.user)
        if group.bulk == key
        for task in group.tasks
        if task.pk is not None
    }


def _ticked(request: HttpRequest) -> list[int]:
    pks = []
    for raw in request.POST.getlist("pk"):
        try:
            pks.append(int(raw))
        except ValueError:
            continue
    return list(dict.fromkeys(pks))
