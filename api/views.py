"""The REST API, version 1: reads through the domain's `visible_to` scopes and selectors, writes through the
same services as the pages (projects.services), each write audited with the key's system."""

from __future__ import annotations

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from programs.models import AnnualPlan, FundingSource, Programme
from projects.models import BudgetLine, Project, ProjectOutput
from projects.services.entry import project_save_draft
from projects.services.tracking import outputs_record
from reports.periods import Period
from reports.selectors import annual_report

from . import filters
from . import serializers as s
from .models import ApiWrite


class Problem(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)


PROBLEM = "application/problem+json"
READ_ERRORS = {(code, PROBLEM): OpenApiResponse(Problem) for code in (400, 401, 404, 429)}
WRITE_ERRORS = {**READ_ERRORS, **{(code, PROBLEM): OpenApiResponse(Problem) for code in (403, 415)}}


@contextmanager
def audited(request, object_ref: str = ""):
    """Run a write as the key's account (the audit log's actor) and log the call with the key's system."""
    previous = auditlog_value.get(None)
    record = {"ref": object_ref, "status": 500}
    try:
        with set_actor(request.user, remote_addr=request.META.get("REMOTE_ADDR")):
            yield record
    finally:
        if previous is not None:
            auditlog_value.set(previous)
    token = request.auth
    ApiWrite.objects.create(
        token=token,
        system_name=token.system_name,
        method=request.method,
        path=request.path[:300],
        object_ref=record["ref"][:100],
        status_code=record["status"],
    )


class KnownQueryParameters:
    """A query parameter the operation does not name is refused (400), as unknown body fields are: a typo
    in a filter must not silently return every record."""

    extra_query_parameters: frozenset[str] = frozenset()

    def known_query_parameters(self) -> set[str]:
        known = {"format", *self.extra_query_parameters}
        filterset_class = getattr(self, "filterset_class", None)
        if getattr(self, "action", None) == "list":
            if filterset_class is not None:
                known |= set(filterset_class.base_filters)
            paginator = getattr(self, "paginator", None)
            if paginator is not None:
                known |= {paginator.cursor_query_param, paginator.page_size_query_param}
        return known

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.known_query_parameters())
        if unknown:
            raise ValidationError({name: [_("Tham số không được hỗ trợ.")] for name in unknown})


class ReadViewSet(
    KnownQueryParameters, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    pass


@extend_schema_view(
    list=extend_schema(
        summary="Đơn vị hành chính",
        responses={(200, "application/json"): s.PlaceSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Một đơn vị hành chính",
        responses={(200, "application/json"): s.PlaceSerializer, **READ_ERRORS},
    ),
)
class PlaceViewSet(ReadViewSet):
    """Administrative units of both maps (reference data, the same for every key)."""

    serializer_class = s.PlaceSerializer
    queryset = AdministrativeUnit.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.PlaceFilter


@extend_schema_view(
    list=extend_schema(
        summary="Chương trình khuyến công",
        responses={(200, "application/json"): s.ProgrammeSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Một chương trình",
        responses={(200, "application/json"): s.ProgrammeSerializer, **READ_ERRORS},
    ),
)
class ProgrammeViewSet(ReadViewSet):
    serializer_class = s.ProgrammeSerializer
    lookup_field = "code"
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.ProgrammeFilter

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("province")
            .prefetch_related("targets__indicator", "budgets__source")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Kế hoạch khuyến công năm",
        responses={(200, "application/json"): s.PlanSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Một kế hoạch năm", responses={(200, "application/json"): s.PlanSerializer, **READ_ERRORS}
    ),
)
class PlanViewSet(ReadViewSet):
    serializer_class = s.PlanSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.PlanFilter

    def get_queryset(self):
        return (
            AnnualPlan.objects.visible_to(self.request.user)
            .select_related("province", "programme")
            .prefetch_related("allocations__source")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Cơ sở thụ hưởng",
        responses={(200, "application/json"): s.BeneficiarySerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Một cơ sở thụ hưởng",
        responses={(200, "application/json"): s.BeneficiarySerializer, **READ_ERRORS},
    ),
)
class BeneficiaryViewSet(ReadViewSet):
    serializer_class = s.BeneficiarySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.BeneficiaryFilter

    def get_queryset(self):
        return Beneficiary.objects.visible_to(self.request.user).select_related("kind", "province")


@extend_schema_view(
    list=extend_schema(
        summary="Đề án",
        responses={(200, "application/json"): s.ProjectSummarySerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Một đề án: dự toán, kết quả đầu ra, lịch sử trạng thái",
        responses={(200, "application/json"): s.ProjectSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Lập đề án dự thảo",
        request=s.ProjectDraftIn,
        responses={(201, "application/json"): s.ProjectSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Sửa đề án dự thảo (hoặc đang yêu cầu bổ sung)",
        request=s.ProjectDraftIn,
        responses={(200, "application/json"): s.ProjectSerializer, **WRITE_ERRORS},
    ),
)
class ProjectViewSet(ReadViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.ProjectFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user).select_related("province")
        if self.action == "list":
            return projects
        return projects.prefetch_related(
            "contents",
            "sites",
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("source", "content")),
            Prefetch("outputs", queryset=ProjectOutput.objects.select_related("indicator")),
            "beneficiary_links",
            "transitions",
        )

    def get_serializer_class(self):
        return s.ProjectSummarySerializer if self.action == "list" else s.ProjectSerializer

    def _save(self, request, project: Project | None) -> Project:
        body = s.ProjectDraftIn(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        contents = data.pop("contents")
        sites = data.pop("sites", [])
        links = data.pop("beneficiaries", [])
        lines = data.pop("budget_lines", [])
        outputs = data.pop("outputs", [])
        return project_save_draft(
            actor=request.user,
            project=project,
            data=data,
            contents=contents,
            sites=sites,
            beneficiaries=[dict(row) for row in links],
            budget_lines=[dict(row) for row in lines],
            outputs=[dict(row) for row in outputs],
        )

    def _answer(self, code: str, status_code: int) -> Response:
        project = self.get_queryset().get(code=code)
        return Response(s.ProjectSerializer(project).data, status=status_code)

    def create(self, request, *args, **kwargs):
        with audited(request) as record:
            project = self._save(request, None)
            record.update(ref=project.code, status=201)
        return self._answer(project.code, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        project = self.get_object()
        with audited(request, project.code) as record:
            project = self._save(request, project)
            record["status"] = 200
        return self._answer(project.code, status.HTTP_200_OK)

    @extend_schema(
        summary="Ghi kết quả đầu ra đạt được (đề án đang thực hiện)",
        request=s.OutputsIn,
        responses={(200, "application/json"): s.OutputSerializer(many=True), **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="outputs", pagination_class=None, filter_backends=[])
    def record_outputs(self, request, code=None):
        project = self.get_object()
        body = s.OutputsIn(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        achieved = {row["indicator"]: row["achieved"] for row in body.validated_data["outputs"]}
        with audited(request, project.code) as record:
            rows = outputs_record(actor=request.user, project=project, achieved=achieved)
            record["status"] = 200
        rows = ProjectOutput.objects.filter(pk__in=[r.pk for r in rows]).select_related("indicator")
        return Response(s.OutputSerializer(rows, many=True).data)


class AnnualFiguresView(KnownQueryParameters, APIView):
    """A province's report figures for a year (the annual report's counts and money)."""

    extra_query_parameters = frozenset({"province", "year"})

    @extend_schema(
        summary="Số liệu báo cáo năm của một tỉnh",
        parameters=[
            OpenApiParameter("province", OpenApiTypes.STR, required=True, description="Mã tỉnh (GSO)"),
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Năm"),
        ],
        responses={(200, "application/json"): s.AnnualFigures, **READ_ERRORS},
    )
    def get(self, request):
        code = request.query_params.get("province", "")
        raw_year = request.query_params.get("year", "")
        errors = {}
        if not code:
            errors["province"] = [_("Cần mã tỉnh.")]
        if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
            errors["year"] = [_("Năm phải là số từ 2000 đến 2100.")]
        if errors:
            raise ValidationError(errors)
        province = self._province(request, code)
        codes = dict(FundingSource.objects.values_list("pk", "code"))
        report = annual_report(province=province, period=Period(int(raw_year)), user=request.user)
        body = {
            "province": province.code,
            "year": int(raw_year),
            "project_count": report.project_count,
            "by_status": [
                {"status": r.status, "count": r.count, "planned": r.planned} for r in report.by_status
            ],
            "by_source": [
                {
                    "source": codes.get(r.source_id),
                    "planned": r.planned,
                    "allocated": r.allocated,
                    "advanced": r.advanced,
                    "disbursed": r.disbursed,
                    "settled": r.settled,
                }
                for r in report.by_source
            ],
            "by_content": [
                {"content": r.number, "projects": r.projects, "planned": r.planned} for r in report.by_content
            ],
        }
        return Response(body)

    @staticmethod
    def _province(request, code: str) -> AdministrativeUnit:
        from accounts.scoping import sees_all_provinces, user_province_id

        province = AdministrativeUnit.objects.current().provinces().filter(code=code).first()
        if province is None:
            raise NotFound()
        if not sees_all_provinces(request.user) and user_province_id(request.user) != province.pk:
            raise NotFound()
        return province
