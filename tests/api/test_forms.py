"""A page form over a JSON body (aftersales.ui.api_forms): what the browser never sends — a list for one
value, an object, a key beyond the database's integers — is the field's 400, never a server error."""

from __future__ import annotations

import pytest
from django import forms
from rest_framework.exceptions import ValidationError

from aftersales.ui.api_forms import valid_form


class Sample(forms.Form):
    note = forms.CharField(required=False)
    when = forms.DateTimeField(required=False)
    tags = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")], required=False)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"note": ["x"]}, "note"),
        ({"when": {"at": 1}}, "when"),
        ({"note": 10**30}, "note"),
        ({"tags": ["a", "99999999999999999999999"]}, "tags"),
        ({"tags": ["+9_999_999_999_999_999_999"]}, "tags"),
        ({"when": True}, "when"),
        ({"when": 20261102}, "when"),
        ({"note": 1e300}, "note"),
    ],
)
def test_a_value_of_the_wrong_shape_is_the_fields_400(body, field):
    with pytest.raises(ValidationError) as refused:
        valid_form(Sample, body)
    assert field in refused.value.detail


def test_a_good_body_is_the_forms_cleaned_data():
    form = valid_form(Sample, {"note": " 好 ", "tags": ["a"], "when": "2026-11-02T09:00"})
    assert form.cleaned_data["note"] == "好" and form.cleaned_data["tags"] == ["a"]


def test_a_form_body_with_a_key_beyond_the_integers_is_a_400():
    from django.http import QueryDict

    body = QueryDict(mutable=True)
    body.setlist("tags", ["a", "99999999999999999999999"])
    with pytest.raises(ValidationError) as refused:
        valid_form(Sample, body)
    assert "tags" in refused.value.detail
