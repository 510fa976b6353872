"""API twins of the pages' forms: the page's own Django form parses the body, the same service acts.

A page action and its API twin must not hold two copies of a rule. A ``FormAction`` finds its
target through the same access helper as the page, validates ``request.data`` with the page's form
class (same choices, same limits, same ``clean``) and calls the same service; the service checks
the permission and raises ``ActionError`` on a refusal (answered by ``aftersales.ui.api_errors``).
Form errors answer 400 ``{"<field>": ["…"]}`` like serializer validation.

``serializer_for(form)`` only describes the form's fields in the OpenAPI schema.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.ui.forms import MonthField


class Done(serializers.Serializer[Any]):
    """The answer of an act: the record made or changed (``id``; null when the act makes none)."""

    id = serializers.IntegerField(allow_null=True)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file of a multipart body: ``format: binary`` in the schema, so a client sends it as a file
    (DRF's own FileField reads as a URL there)."""


def _text(field: forms.CharField) -> serializers.Field[Any, Any, Any, Any]:
    return serializers.CharField(
        required=field.required,
        allow_blank=not field.required,
        max_length=field.max_length,  # type: ignore[arg-type]
    )


def _drf_field(field: forms.Field) -> serializers.Field[Any, Any, Any, Any]:
    required = field.required
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), required=required)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(required=required, allow_null=not required)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=list(field.choices), required=required)  # type: ignore[arg-type]
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        choices = [c for c in field.choices if c[0] != ""]  # type: ignore[index, union-attr]
        return serializers.ChoiceField(choices=choices, required=required, allow_blank=not required)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(required=False)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            required=required,
            allow_null=not required,
            min_value=field.min_value,  # type: ignore[arg-type]  # DRF takes None: no bound
            max_value=field.max_value,  # type: ignore[arg-type]
        )
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            required=required,
            allow_null=not required,
            min_value=field.min_value,
            max_value=field.max_value,
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(required=required, allow_null=not required)
    if isinstance(field, forms.DateField):
        return serializers.DateField(required=required, allow_null=not required)
    if isinstance(field, forms.FileField):
        return UploadField(required=required)
    if isinstance(field, MonthField):
        return serializers.RegexField(r"^\d{4}-\d{2}$", required=required, allow_blank=not required)
    if isinstance(field, forms.CharField):
        return _text(field)
    return serializers.CharField(required=required)


_SERIALIZERS: dict[str, type[serializers.Serializer[Any]]] = {}


def serializer_for(
    form_class: type[forms.BaseForm], name: str, *, extra: dict[str, Any] | None = None
) -> type[serializers.Serializer[Any]]:
    """A serializer with the form's fields (for the schema; the form itself validates); one per name."""
    if name not in _SERIALIZERS:
        fields: dict[str, Any] = {n: _drf_field(f) for n, f in form_class.base_fields.items()}  # type: ignore[attr-defined]
        fields |= extra or {}
        _SERIALIZERS[name] = type(name, (serializers.Serializer,), fields)
    return _SERIALIZERS[name]


BIGGEST = 2**63 - 1  # a key beyond the database's integer is no record (and no crash)
MANY = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField, forms.FileField)


TEMPORAL = (forms.DateField, forms.DateTimeField, forms.TimeField)


def _too_big(value: Any) -> bool:
    """A number (or text Django reads as one: "+1_000", "１２") beyond the database's integers."""
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) > BIGGEST
    try:
        return isinstance(value, int | str) and abs(int(value)) > BIGGEST
    except ValueError:
        return False


def _wrong_shape(field: forms.Field, value: Any) -> bool:
    """A value the browser could not have sent for this field."""
    if value is None or isinstance(value, str):
        return _too_big(value) if isinstance(value, str) else False
    if isinstance(value, bool):
        return not isinstance(field, forms.BooleanField)
    if isinstance(value, int | float):
        return isinstance(field, (*TEMPORAL, forms.FileField)) or _too_big(value)
    return True  # a list or an object where one value goes


def _json_shapes(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """A JSON body gives values of any type; the page's form expects what a browser sends (text, one
    value per field, a list for a multiple choice): anything else is the field's 400, not a crash."""
    errors = {}
    for name, field in form.fields.items():
        value = data.get(name)
        many = isinstance(field, MANY)
        if many and isinstance(value, list):
            wrong = any(isinstance(v, list | dict | bool) or _too_big(v) for v in value)
        else:
            wrong = _wrong_shape(field, value)
        if wrong:
            errors[name] = ["须为值的列表" if many else "须为单个值"]
    if errors:
        raise ValidationError(errors)


def valid_form(form_class: type[forms.BaseForm], data: Any, files: Any = None, **kwargs: Any) -> Any:
    """The page's form bound to the request body, valid; 400 with its errors when invalid."""
    form = form_class(data=data, files=files, **kwargs)
    if isinstance(data, QueryDict):  # a form body: text only, but a key may still be out of range
        too_big = {name: ["须为单个值"] for name in form.fields if any(map(_too_big, data.getlist(name)))}
        if too_big:
            raise ValidationError(too_big)
    elif isinstance(data, dict):
        _json_shapes(form, data)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})  # type: ignore[arg-type]
    return form


def body_is_an_object(request: Request) -> None:
    """A body of fields (a JSON object, a form); a JSON list or scalar is a 400, not a crash."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": ["须为 JSON 对象"]})


class FormAction(APIView):
    """POST: the page's form parses the body, ``act`` calls the page's service; answers ``Done``."""

    form_class: ClassVar[type[forms.BaseForm]]
    created = True
    form: Any  # the bound, valid page form of this request

    def target(self, request: Request, pk: int | None) -> Any:
        """The object acted on, through the page's access helper (404 outside the user's scope)."""
        return None

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {}

    def form_data(self, request: Request, target: Any) -> Any:
        """The form's data: the body as it is (a twin whose page names its fields otherwise maps them)."""
        return request.data

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: int | None = None) -> Response:
        body_is_an_object(request)
        target = self.target(request, pk)
        kwargs = self.form_kwargs(request, target)
        self.form = valid_form(self.form_class, self.form_data(request, target), request.FILES, **kwargs)
        result = self.act(request, target, self.form.cleaned_data)
        done = result if result is not None and hasattr(result, "pk") else target
        body = Done({"id": getattr(done, "pk", None)}).data
        return Response(body, status=201 if self.created else 200)


def twin(
    form_class: type[forms.BaseForm],
    name: str,
    *,
    created: bool = True,
    extra: dict[str, Any] | None = None,
) -> Any:
    """Class decorator of a ``FormAction``: its page form, and its schema (request ``name``, answer Done)."""

    def wrap(view: type[FormAction]) -> type[FormAction]:
        view.form_class, view.created = form_class, created
        request = serializer_for(form_class, name, extra=extra)
        answers = {201 if created else 200: Done}
        return extend_schema(request=request, responses=answers)(view)

    return wrap
