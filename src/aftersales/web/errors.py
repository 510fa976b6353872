"""The product's own error pages (400, 403, CSRF failure, 404, 500), Chinese first with the English
catalogue, inside the site's navigation. 500 renders without the request and without the database:
whatever broke the page may be the database itself."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

log = logging.getLogger(__name__)

# The last resort when even the template cannot be rendered: plain HTML, both languages.
PLAIN_500 = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>500</title>'
    "<h1>服务器内部错误 Server error</h1><p>请稍后再试。Please try again later.</p>"
    '<p><a href="/">工作台 Home</a></p></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        log.exception("the 500 page itself failed")
        return HttpResponseServerError(PLAIN_500)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was stale (signed out meanwhile, opened in another session): say so, offer a reload."""
    return HttpResponse(loader.render_to_string("403_csrf.html", request=request), status=403)
