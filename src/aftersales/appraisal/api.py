"""REST API of the appraisal cycle, mounted at /api/appraisal/ (namespace ``api-appraisal``).

The same actions and access helpers as the pages: a role that may not take a step gets 403, an
object outside the user's scope 404 (R-1.1), a step that is not possible now 400 with
``{"detail": …, "field": …}``. Lists are paginated and their query count does not grow with rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.appraisal import selectors, services
from aftersales.appraisal.models import Agreement, Appeal, Appraisal, Goal, Period, State, Transition
from aftersales.appraisal.outcome import result_of, results_for
from aftersales.appraisal.permissions import available_actions
from aftersales.appraisal.scoring import GOAL_FIELDS, agreement_goals
from aftersales.organisation.models import Department
from aftersales.ui.api_errors import REFUSAL
from aftersales.ui.pagination import KeysetPagination

# ---------------------------------------------------------------------------------------------
# Output


class AppraisalPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


class AppraisalDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PeriodSerializer(serializers.ModelSerializer):
    """A month of one department (考核周期) and its deadlines (SPEC §4)."""

    department = AppraisalDepartmentSerializer(read_only=True)
    label = serializers.CharField(read_only=True, help_text="YYYY-MM")  # type: ignore[assignment]
    agreement_deadline = serializers.DateField(read_only=True)
    review_deadline = serializers.DateField(read_only=True)
    archive_deadline = serializers.DateField(read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "department",
            "year",
            "month",
            "label",
            "status",
            "agreement_day",
            "review_day",
            "archive_day",
            "agreement_deadline",
            "review_deadline",
            "archive_deadline",
            "opened_at",
        ]


class PeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    department = AppraisalDepartmentSerializer()


class _WithResults(serializers.ListSerializer):
    """A page of appraisals reads its month results in a fixed number of queries (R-3.1)."""

    def to_representation(self, data: Any) -> Any:
        rows = list(data.all() if hasattr(data, "all") else data)
        results = results_for(rows)
        for row in rows:
            row.result = results[row.pk]
        return super().to_representation(rows)


class AppraisalSerializer(serializers.ModelSerializer):
    """One employee's form of one month, in one version (R-4.1 states; R-4.3 versions).

    ``discipline_points``, ``final_score`` and ``grade`` are the month's one truth (R-3.1): live
    until the month is closed for pay, then the close version in force; ``grade`` is "" while a
    forced-distribution grade waits for the close (``grade_pending``)."""

    period = PeriodRefSerializer(read_only=True)
    employee = AppraisalPersonSerializer(read_only=True)
    discipline_points = serializers.DecimalField(
        max_digits=6, decimal_places=2, source="result.discipline_points", read_only=True
    )
    final_score = serializers.DecimalField(
        max_digits=6, decimal_places=2, source="result.final_score", read_only=True, allow_null=True
    )
    grade = serializers.CharField(source="result.grade", read_only=True)
    grade_pending = serializers.BooleanField(source="result.pending", read_only=True)
    grade_explanation = serializers.CharField(source="result.explanation", read_only=True)
    closed = serializers.BooleanField(source="result.closed", read_only=True)
    close_out_of_date = serializers.BooleanField(source="result.out_of_date", read_only=True)

    def to_representation(self, instance: Appraisal) -> Any:
        if not hasattr(instance, "result"):
            instance.result = result_of(instance)  # type: ignore[attr-defined]
        return super().to_representation(instance)

    class Meta:
        model = Appraisal
        list_serializer_class = _WithResults
        fields = [
            "id",
            "period",
            "employee",
            "template_code",
            "template_version",
            "version",
            "is_current",
            "state",
            "form_total",
            "discipline_points",
            "final_score",
            "grade",
            "grade_pending",
            "grade_explanation",
            "closed",
            "close_out_of_date",
            "confirmed_channel",
            "interview_missing",
            "updated_at",
        ]


class TransitionSerializer(serializers.ModelSerializer):
    # plain strings: the states are the appraisal's ``state`` enum ("" before the first one)
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Transition
        fields = ["id", "from_state", "to_state", "actor", "at", "comment", "on_behalf", "snapshot"]


class AppealSerializer(serializers.ModelSerializer):
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "appraisal",
            "items",
            "reasons",
            "evidence",
            "filed_at",
            "status",
            "minutes",
            "decided_by",
            "decided_at",
            "resulting_version",
        ]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["order", *GOAL_FIELDS]


class AppraisalDetailSerializer(AppraisalSerializer):
    """The form with its entries (the JSON of ``aftersales calc score``), section scores, the agreed
    goals, the history, the appeals, and the steps the requesting user may take now."""

    transitions = TransitionSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)
    goals = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(AppraisalSerializer.Meta):
        fields = [
            *AppraisalSerializer.Meta.fields,
            "previous",
            "self_report",
            "entries",
            "section_scores",
            "supervisor_comment",
            "reviewed_at",
            "seen_at",
            "confirmed_at",
            "confirmation_evidence",
            "goals",
            "transitions",
            "appeals",
            "actions",
        ]

    @extend_schema_field(GoalSerializer(many=True))
    def get_goals(self, appraisal: Appraisal) -> Any:
        return GoalSerializer(agreement_goals(appraisal), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, appraisal: Appraisal) -> list[str]:
        return sorted(available_actions(self.context["request"].user, appraisal))


class AgreementSerializer(serializers.ModelSerializer):
    """绩效协议: the month's goals, signed by the employee and the direct supervisor."""

    period = PeriodRefSerializer(read_only=True)
    employee = AppraisalPersonSerializer(read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    is_signed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "period",
            "employee",
            "employee_signed_at",
            "supervisor_signed_at",
            "is_signed",
            "goals",
        ]


# ---------------------------------------------------------------------------------------------
# Input


class PeriodOpenSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(parent__isnull=True))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    agreement_day = serializers.IntegerField(min_value=1, max_value=28, default=10)
    review_day = serializers.IntegerField(min_value=1, max_value=28, default=10)
    archive_day = serializers.IntegerField(min_value=1, max_value=28, default=20)


class GoalReportSerializer(serializers.Serializer):
    completion = serializers.CharField(allow_blank=True, default="")
    self_description = serializers.CharField(allow_blank=True, default="")


class SelfReportSerializer(serializers.Serializer):
    summary = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="员工填写工作完成情况 (required without work rows)",
    )
    work = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
        help_text="工作情况 rows of forms 4.1–4.3: place, content, result (4.3: duration, content)",
    )
    sections = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="section code → 自我描述"
    )
    goals = GoalReportSerializer(many=True, required=False, help_text="one per agreed goal, in order")


class ScoreSerializer(serializers.Serializer):
    entries = serializers.JSONField(
        help_text="section code → value, as in `aftersales calc score` (CONTRACTS.md); the goals section "
        "takes one score per agreed goal"
    )
    goal_checks = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class EmailConfirmSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="the employee's e-mail, kept as evidence (R-4.2)")


class AppealFileSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), help_text="codes of the disputed sections")
    reasons = serializers.CharField()
    evidence = serializers.CharField(allow_blank=True, required=False, default="")


class AppealDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    minutes = serializers.CharField(help_text="协调会议纪要")
    entries = serializers.JSONField(required=False, help_text="the corrected form; required when upheld")
    goal_checks = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)


class GoalInputSerializer(serializers.Serializer):
    title = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    deadline_requirement = serializers.CharField(allow_blank=True, required=False, default="")
    quality_requirement = serializers.CharField(allow_blank=True, required=False, default="")


class AgreementSaveSerializer(serializers.Serializer):
    goals = GoalInputSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Views


def _input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


ACTION_RESPONSES = {200: AppraisalDetailSerializer, 400: REFUSAL}


class AppraisalViewSet(viewsets.ReadOnlyModelViewSet):
    """Appraisals the user may see; POST one action per step of the cycle (R-4.1). The list pages by
    key (``cursor``, newest first, no count): a deep page costs what the first does (issue 11)."""

    serializer_class = AppraisalSerializer
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Appraisal]:
        queryset = selectors.appraisals_visible_to(self.request.user)
        if self.action != "list":
            return queryset.prefetch_related(
                Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
                Prefetch("appeals", queryset=Appeal.objects.select_related("decided_by")),
            )
        params = self.request.query_params
        if params.get("versions") != "all":
            queryset = queryset.filter(is_current=True)
        if params.get("period", "").isdigit():
            queryset = queryset.filter(period_id=int(params["period"]))
        if params.get("state") in State.values:
            queryset = queryset.filter(state=params["state"])
        return queryset

    def get_serializer_class(self) -> Any:
        return AppraisalSerializer if self.action == "list" else AppraisalDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.INT, description="period id"),
            OpenApiParameter("state", OpenApiTypes.STR, enum=State.values),
            OpenApiParameter(
                "versions", OpenApiTypes.STR, enum=["all"], description="include superseded versions"
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appraisal = self.get_object()
        services.appraisal_mark_seen(appraisal=appraisal, actor=request.user)
        return Response(self.get_serializer(appraisal).data)

    def _step(self, call: Callable[[Appraisal], Any]) -> Response:
        appraisal = self.get_object()
        outcome = call(appraisal)
        result = outcome if isinstance(outcome, Appraisal) else appraisal
        fresh = self.get_queryset().get(pk=result.pk)
        return Response(AppraisalDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=SelfReportSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="self-report", url_name="self-report")
    def self_report(self, request: Request, pk: str) -> Response:
        """员工填写工作完成情况 (employee; draft → self_reported)."""
        data = _input(SelfReportSerializer, request)
        return self._step(
            lambda a: services.appraisal_self_report(
                appraisal=a,
                actor=request.user,
                summary=data["summary"],
                sections=data.get("sections"),
                goals=data.get("goals", []),
                work=data.get("work", []),
            )
        )

    @extend_schema(request=ScoreSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        """直接主管评分 (direct supervisor; self_reported/returned/scored → scored)."""
        data = _input(ScoreSerializer, request)
        if not isinstance(data["entries"], dict):
            raise services.ActionError("must be an object", "entries")
        return self._step(
            lambda a: services.appraisal_score(
                appraisal=a,
                actor=request.user,
                entries=data["entries"],
                goal_checks=data.get("goal_checks", []),
                comment=data["comment"],
            )
        )

    @extend_schema(request=CommentSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """部门领导审核 (department head; scored → reviewed)."""
        comment = _input(CommentSerializer, request)["comment"]
        return self._step(
            lambda a: services.appraisal_review(appraisal=a, actor=request.user, comment=comment)
        )

    @extend_schema(request=CommentSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_supervisor(self, request: Request, pk: str) -> Response:
        """Return to the supervisor with a comment (department head; scored → returned)."""
        comment = _input(CommentSerializer, request)["comment"]
        return self._step(
            lambda a: services.appraisal_return(appraisal=a, actor=request.user, comment=comment)
        )

    @extend_schema(request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """员工确认 (employee; reviewed → confirmed, channel app)."""
        return self._step(lambda a: services.appraisal_confirm(appraisal=a, actor=request.user))

    @extend_schema(request=EmailConfirmSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="confirm-email", url_name="confirm-email")
    def confirm_email(self, request: Request, pk: str) -> Response:
        """E-mail confirmation of staff working away (supervisor; reviewed → confirmed, channel email)."""
        message = _input(EmailConfirmSerializer, request)["message"]
        return self._step(
            lambda a: services.appraisal_confirm_by_email(appraisal=a, actor=request.user, message=message)
        )

    @extend_schema(request=AppealFileSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> Response:
        """员工绩效申诉 within 5 days of seeing the result (employee; reviewed → appealed)."""
        data = _input(AppealFileSerializer, request)
        return self._step(lambda a: services.appeal_file(appraisal=a, actor=request.user, **data))

    @extend_schema(request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        """人力资源部归档 (HR; confirmed → archived; never changes afterwards)."""
        return self._step(lambda a: services.appraisal_archive(appraisal=a, actor=request.user))


class AppealViewSet(viewsets.ReadOnlyModelViewSet):
    """Appeals of the appraisals the user may see; HR decides them (R-4.3)."""

    serializer_class = AppealSerializer

    def get_queryset(self) -> QuerySet[Appeal]:
        visible = selectors.appraisals_visible_to(self.request.user).values("pk")
        return Appeal.objects.filter(appraisal__in=visible).select_related("decided_by")

    @extend_schema(request=AppealDecisionSerializer, responses={200: AppealSerializer, 400: REFUSAL})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """HR's outcome with minutes; upheld creates a new version scored with ``entries``."""
        data = _input(AppealDecisionSerializer, request)
        appeal = services.appeal_decide(appeal=self.get_object(), actor=request.user, **data)
        return Response(AppealSerializer(appeal).data)


class PeriodViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Periods the user may see; HR opens one by POST (SPEC §4)."""

    serializer_class = PeriodSerializer

    def get_queryset(self) -> QuerySet[Period]:
        return selectors.periods_visible_to(self.request.user)

    @extend_schema(request=PeriodOpenSerializer, responses={201: PeriodSerializer, 400: REFUSAL})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _input(PeriodOpenSerializer, request)
        period = services.period_open(actor=request.user, **data)
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """Performance agreements (绩效协议) the user may see; the parties save goals and sign."""

    serializer_class = AgreementSerializer

    def get_queryset(self) -> QuerySet[Agreement]:
        return (
            Agreement.objects.filter(employee__in=selectors.employee_scope(self.request.user))
            .select_related("period__department", "employee", "employee__supervisor")
            .prefetch_related("goals")
        )

    def _step(self, call: Callable[[Agreement], Any]) -> Response:
        agreement = self.get_object()
        call(agreement)
        return Response(AgreementSerializer(self.get_queryset().get(pk=agreement.pk)).data)

    @extend_schema(request=AgreementSaveSerializer, responses={200: AgreementSerializer, 400: REFUSAL})
    @action(detail=True, methods=["post"], url_path="goals", url_name="save")
    def save_goals(self, request: Request, pk: str) -> Response:
        """Replace the goals (1–5, weights summing to the form's goals block); clears signatures."""
        goals = [dict(goal) for goal in _input(AgreementSaveSerializer, request)["goals"]]
        return self._step(lambda a: services.agreement_save(agreement=a, actor=request.user, goals=goals))

    @extend_schema(request=None, responses={200: AgreementSerializer, 400: REFUSAL})
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str) -> Response:
        """The employee or the direct supervisor signs."""
        return self._step(lambda a: services.agreement_sign(agreement=a, actor=request.user))


class ReadCountSerializer(serializers.Serializer):
    read = serializers.IntegerField(help_text="reminders that were unread")


class NotificationsRead(APIView):
    """The caller has read their reminders (the bell of the pages)."""

    @extend_schema(request=None, responses=ReadCountSerializer)
    def post(self, request: Request) -> Response:
        read = services.notifications_mark_read(user=request.user)
        return Response(ReadCountSerializer({"read": read}).data)
