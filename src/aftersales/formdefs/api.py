"""REST API of the form definitions (/api/formdefs/): HR's acts of the pages on a form's next version
— copy the current version into a draft, save the whole draft as typed (the structured editor's save),
publish it from a month on, discard it — through the pages' forms and the same services."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.errors import ActionError, RuleError
from aftersales.core.forms import SECTION_KINDS
from aftersales.formdefs import editor, selectors, services
from aftersales.formdefs.forms import PublishForm
from aftersales.formdefs.messages import rule_message
from aftersales.formdefs.models import FormDraft, FormTemplate
from aftersales.ui.api_forms import Done, FormAction, twin


@extend_schema(request=None, responses={200: Done, 201: Done})
class DraftCopy(APIView):
    """复制现行版本: the form's latest version becomes the draft of the next (201); a form has one
    draft at a time, so an existing draft is answered instead (200)."""

    def post(self, request: Request, code: str) -> Response:
        selectors.require_form_editor(request.user)
        version = selectors.latest_version(code)
        if version is None:
            raise Http404
        draft, created = services.draft_copy(version=version, actor=request.user)
        return Response(Done({"id": draft.pk}).data, status=201 if created else 200)


@twin(PublishForm, "FormPublishInput")
class DraftPublish(FormAction):
    """Publish the draft as the form's next version from ``effective_month`` on, with a note; answers
    the published version. A draft the rules core still refuses is refused (fix it in the editor)."""

    def target(self, request: Request, pk: int | None) -> FormDraft:
        draft = selectors.get_draft_for_user(request.user, pk or 0)
        try:
            editor.template_of(draft.definition, draft.code)
        except RuleError:
            raise ActionError(_("草稿还有错误，请先在编辑页改正。")) from None
        return draft

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        month, note = data["effective_month"], data["note"]
        try:
            return services.draft_publish(draft=target, actor=request.user, effective_from=month, note=note)
        except RuleError as error:  # the page's wording of the core's refusal, on the form's field
            field = "effective_month" if error.field == "effective_from" else None
            raise ActionError(rule_message(error.message), field) from None


@extend_schema(request=None, responses={204: None})
class DraftDiscard(APIView):
    def post(self, request: Request, pk: int) -> Response:
        services.draft_discard(draft=selectors.get_draft_for_user(request.user, pk), actor=request.user)
        return Response(status=204)


# --- the draft as the editor keeps it: every value a string, as typed ------------------------------


def _typed(**kwargs: Any) -> serializers.CharField:
    """An input of the editor: any text, kept as typed (blank, spaces and all)."""
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs)


ITEM_INPUTS = list(dict.fromkeys(key for keys in editor.ITEM_FIELDS.values() for key in keys))


@extend_schema_field(
    {
        "type": "object",
        "properties": {key: {"type": "string"} for key in ITEM_INPUTS},
        "description": "The item's inputs of its section's kind (formdefs.editor.ITEM_FIELDS): "
        + "; ".join(f"{kind}: {', '.join(keys)}" for kind, keys in editor.ITEM_FIELDS.items())
        + ". An input not given is blank; one its kind has not is dropped.",
    }
)
class DraftItemField(serializers.DictField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=_typed(), **kwargs)


class FormDraftSectionSerializer(serializers.Serializer):
    code = _typed()
    name = _typed()
    kind = serializers.ChoiceField(choices=list(SECTION_KINDS))
    points = _typed()
    heading = _typed(default="")
    measure = _typed(default="")
    items = serializers.ListField(child=DraftItemField(), required=False, help_text="every kind but goals")
    slots = serializers.ListField(child=_typed(), required=False, help_text="goals: the slots' weights")


class FormDraftDefinitionSerializer(serializers.Serializer):
    """The whole draft (草稿内容) as the editor keeps it: every value a string ("" for nothing)."""

    name = _typed()
    grading = serializers.ChoiceField(choices=FormTemplate.Grading.choices)
    sections = FormDraftSectionSerializer(many=True)


class FormDraftErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_blank=True, help_text="the path of the input, e.g. sections[2].points"
    )
    message = serializers.CharField()


class FormDraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    base_version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    definition = FormDraftDefinitionSerializer()
    # a field: the metaclass takes it off the class, so Serializer.errors stays as it is
    errors = FormDraftErrorSerializer(  # type: ignore[assignment]
        many=True, help_text="what stands in the way of publishing; empty: valid"
    )


def _draft_answer(draft: FormDraft) -> Any:
    errors = editor.check(draft.definition, draft.code)
    answer = {
        "id": draft.pk,
        "code": draft.code,
        "base_version": draft.base_version,
        "updated_at": draft.updated_at,
        "definition": draft.definition,
        "errors": [{"field": field, "message": message} for field, message in errors.items()],
    }
    return FormDraftSerializer(answer).data


class DraftSave(APIView):
    """The draft of a form's next version (HR): GET it with what the rules core still refuses; POST the
    whole draft, saved as typed — valid or not, as the editor's save — answering it with its errors."""

    parser_classes = (JSONParser,)

    @extend_schema(responses=FormDraftSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_draft_answer(selectors.get_draft_for_user(request.user, pk)))

    @extend_schema(request=FormDraftDefinitionSerializer, responses={200: FormDraftSerializer})
    def post(self, request: Request, pk: int) -> Response:
        draft = selectors.get_draft_for_user(request.user, pk)
        body = FormDraftDefinitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.draft_save(draft=draft, data=editor.data_of(body.validated_data), actor=request.user)
        return Response(_draft_answer(draft))
