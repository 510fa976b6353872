"""REST API of background jobs (/api/jobs/): what the job pages show, for a client that was answered
202 with a job (a big roster import) — its state and progress, its result, its file, and an import's
one-use set-password links, handed to the requester once. The same selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.jobs.models import Job
from aftersales.jobs.services import (
    download_response,
    get_job_for_user,
    jobs_visible_to,
    login_links_take,
    may_download,
)
from aftersales.organisation.api import SetPasswordLinkSerializer


class BackgroundJobSerializer(serializers.ModelSerializer[Job]):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="the job's page, for a person")

    class Meta:
        model = Job
        fields = ["id", "kind", "kind_display", "title", "requested_by", "state", "state_display"]
        fields += ["done", "total", "percent", "error", "created_at", "started_at", "finished_at", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job: Job) -> str:
        return self.context["request"].build_absolute_uri(reverse("jobs:detail", args=[job.pk]))


class BackgroundJobDetailSerializer(BackgroundJobSerializer):
    result = serializers.SerializerMethodField(help_text="what the job did (an import's counts per sheet …)")
    download_url = serializers.SerializerMethodField(help_text="the job's file, when it has one for you")
    set_password_links = serializers.SerializerMethodField(
        help_text="an import's one-use set-password links: to its requester, once, after it ends"
    )

    class Meta(BackgroundJobSerializer.Meta):
        fields = [*BackgroundJobSerializer.Meta.fields, "result", "download_url", "set_password_links"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_result(self, job: Job) -> dict[str, Any]:
        return {key: value for key, value in (job.result or {}).items() if key != "links"}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: Job) -> str | None:
        if not may_download(self.context["request"].user, job):
            return None
        return self.context["request"].build_absolute_uri(reverse("api-jobs:download", args=[job.pk]))

    @extend_schema_field(SetPasswordLinkSerializer(many=True))
    def get_set_password_links(self, job: Job) -> list[dict[str, str]]:
        return self.context.get("links", [])


@extend_schema(summary="我的后台任务 (HR: and the company-wide ones), newest first")
class BackgroundJobList(generics.ListAPIView[Job]):
    serializer_class = BackgroundJobSerializer

    def get_queryset(self) -> Any:
        return jobs_visible_to(self.request.user)


@extend_schema(responses=BackgroundJobDetailSerializer, summary="一个后台任务：状态、进度、结果")
class BackgroundJobDetail(APIView):
    def get(self, request: Request, pk: int) -> Response:
        job = get_job_for_user(request.user, pk)
        links = login_links_take(job=job, user=request.user)
        absolute = [{**link, "set_password_link": request.build_absolute_uri(link["path"])} for link in links]
        context = {"request": request, "links": SetPasswordLinkSerializer(absolute, many=True).data}
        return Response(BackgroundJobDetailSerializer(job, context=context).data)


@extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="任务文件下载")
class BackgroundJobDownload(APIView):
    """The job's file (a pay sheet's .xlsx or .pdf), to whoever may still see the record it came from."""

    def get(self, request: Request, pk: int) -> HttpResponse:
        return download_response(request.user, pk)
