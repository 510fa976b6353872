"""REST API of the form definitions (/api/formdefs/): HR's acts of the pages on a form's next version
— copy the current version into a draft, publish the draft from a month on, discard it — through the
pages' form and the same services. Editing a draft stays on its page (the structured editor)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.errors import ActionError, RuleError
from aftersales.formdefs import editor, selectors, services
from aftersales.formdefs.forms import PublishForm
from aftersales.formdefs.messages import rule_message
from aftersales.formdefs.models import FormDraft
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
