"""``{% form_token %}``: the one-use token of a form that creates records (aftersales.web.idempotency)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from aftersales.web.idempotency import FORM_FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, new_form_token())
