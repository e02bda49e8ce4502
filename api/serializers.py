"""What the API reads and writes. Write bodies refuse fields they do not know, at every level."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from programs.models import ActivityContent, Agency, AnnualPlan, FundingSource, Indicator, Programme
from projects.models import BudgetLine, Project, ProjectBeneficiary, ProjectOutput, ProjectTransition

# Django REST framework's own messages are English (its Vietnamese catalogue is nearly empty): the API's
# write bodies answer in Vietnamese, with the same placeholders, marked for translation like every message.
VI_ERRORS = {
    "required": _l("Trường này bắt buộc."),
    "null": _l("Trường này không được để trống (null)."),
    "blank": _l("Trường này không được để trống."),
    "invalid": _l("Giá trị không hợp lệ."),
    "incorrect_type": _l("Sai kiểu dữ liệu: cần mã số (id), nhận {data_type}."),
    "does_not_exist": _l("Không tìm thấy bản ghi được tham chiếu."),
    "not_a_list": _l("Cần một danh sách, nhận {input_type}."),
    "empty": _l("Danh sách không được rỗng."),
    "max_length": _l("Dài quá {max_length} ký tự/phần tử."),
    "min_value": _l("Không được nhỏ hơn {min_value}."),
    "max_value": _l("Không được lớn hơn {max_value}."),
    "max_string_length": _l("Số quá lớn."),
    "invalid_choice": _l("«{input}» không phải là lựa chọn hợp lệ."),
    "not_a_dict": _l("Cần một đối tượng JSON."),
    "datetime": _l("Cần một ngày, không phải ngày giờ."),
}


def _vietnamese(field) -> None:
    for key in list(field.error_messages):
        if key in VI_ERRORS:
            field.error_messages[key] = VI_ERRORS[key]
    if isinstance(field, serializers.DateField):
        field.error_messages["invalid"] = _l("Sai định dạng ngày: cần YYYY-MM-DD.")
    for inner in (getattr(field, "child", None), getattr(field, "child_relation", None)):
        if inner is not None:
            _vietnamese(inner)


class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields (a typo must not be silently dropped) and bodies that are not objects;
    its fields answer in Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages, "invalid": VI_ERRORS["not_a_dict"]}

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _vietnamese(field)
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Trường không được hỗ trợ.")] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictText(serializers.CharField):
    """Text only: a number or a list is refused, not turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictInteger(serializers.IntegerField):
    """A JSON integer only: "12", 12.0 and true are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKey(serializers.PrimaryKeyRelatedField):
    """An id as a JSON integer."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictSlug(serializers.SlugRelatedField):
    """A reference by code (text) or by number (integer), in the JSON type of that key."""

    def to_internal_value(self, data):
        expected = int if self.slug_field == "number" else str
        if isinstance(data, bool) or not isinstance(data, expected):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBoolean(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


# ---------------------------------------------------------------------------------------------- reads


class PlaceSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    current_province = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "code",
            "name",
            "full_name",
            "kind",
            "level",
            "era",
            "valid_from",
            "valid_to",
            "parent",
            "current_province",
        ]


class TargetSerializer(serializers.Serializer):
    description = serializers.CharField()
    indicator = serializers.CharField(source="indicator.code", allow_null=True, default=None)
    min_value = serializers.IntegerField(allow_null=True)
    max_value = serializers.IntegerField(allow_null=True)
    qualifier = serializers.CharField()
    unit = serializers.CharField()


class ProgrammeBudgetSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.code")
    amount = serializers.IntegerField()


class ProgrammeSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", allow_null=True, default=None)
    targets = TargetSerializer(many=True, read_only=True)
    budgets = ProgrammeBudgetSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "level",
            "province",
            "start_year",
            "end_year",
            "decision_number",
            "decision_date",
            "decision_authority",
            "description",
            "total_budget",
            "targets",
            "budgets",
        ]


class AllocationSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.code", allow_null=True, default=None)
    amount = serializers.IntegerField()
    qualifier = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")
    programme = serializers.CharField(source="programme.code", allow_null=True, default=None)
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "name",
            "year",
            "kind",
            "province",
            "programme",
            "decision_number",
            "decision_date",
            "decision_authority",
            "declared_total",
            "declared_total_qualifier",
            "allocations",
        ]


class BeneficiarySerializer(serializers.ModelSerializer):
    """No representative, phone, e-mail or street address: what another system needs, not more."""

    kind = serializers.CharField(source="kind.code")
    province = serializers.CharField(source="province.code")
    commune = serializers.PrimaryKeyRelatedField(source="current_unit", read_only=True, allow_null=True)

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "name",
            "kind",
            "tax_code",
            "province",
            "commune",
            "industry",
            "craft_village",
            "employees",
            "women_owned",
            "ethnic_minority",
        ]


class BudgetLineSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code", allow_null=True, default=None)
    content = serializers.IntegerField(source="content.number", allow_null=True, default=None)

    class Meta:
        model = BudgetLine
        fields = ["source", "content", "expense_item", "amount"]


class OutputSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")

    class Meta:
        model = ProjectOutput
        fields = ["indicator", "planned", "achieved"]


class LinkSerializer(serializers.ModelSerializer):
    beneficiary = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ProjectBeneficiary
        fields = ["beneficiary", "support_amount", "counterpart_amount", "counterpart_committed"]


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectTransition
        fields = [
            "action",
            "from_status",
            "to_status",
            "created_at",
            "comment",
            "decision_number",
            "decision_date",
        ]


class ProjectSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    contents = serializers.SerializerMethodField()
    sites = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    implementing_agency = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    outputs = OutputSerializer(many=True, read_only=True)
    beneficiaries = LinkSerializer(source="beneficiary_links", many=True, read_only=True)
    status_history = TransitionSerializer(source="transitions", many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "year",
            "province",
            "plan",
            "kind",
            "shape",
            "selection",
            "status",
            "contents",
            "implementing_agency",
            "implementing_unit_name",
            "coordinating_unit",
            "sites",
            "site_address",
            "need_and_basis",
            "objectives",
            "scale",
            "expected_effects",
            "start_date",
            "end_date",
            "approval_decision_number",
            "approval_decision_date",
            "budget_lines",
            "outputs",
            "beneficiaries",
            "status_history",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_contents(self, obj) -> list[int]:
        return [c.number for c in obj.contents.all()]


class ProjectSummarySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")
    plan = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "year",
            "province",
            "plan",
            "kind",
            "status",
            "start_date",
            "end_date",
        ]


# ---------------------------------------------------------------------------------------------- writes


class ScopedPrimaryKey(StrictPrimaryKey):
    """A reference to a record the token may see; another province's answers like a missing one."""

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.context["request"].user)


class BudgetLineIn(StrictSerializer):
    source = StrictSlug(slug_field="code", queryset=FundingSource.objects.all())
    content = StrictSlug(
        slug_field="number", queryset=ActivityContent.objects.all(), allow_null=True, required=False
    )
    expense_item = StrictText(max_length=300)
    amount = StrictInteger(min_value=0, max_value=10**15)


class OutputPlanIn(StrictSerializer):
    indicator = StrictSlug(slug_field="code", queryset=Indicator.objects.all())
    planned = StrictInteger(min_value=0, max_value=2**31 - 1, allow_null=True)


class BeneficiaryLinkIn(StrictSerializer):
    beneficiary = ScopedPrimaryKey(queryset=Beneficiary.objects.all())
    support_amount = StrictInteger(min_value=0, max_value=10**15, default=0)
    counterpart_amount = StrictInteger(min_value=0, max_value=10**15, default=0)
    counterpart_committed = StrictBoolean(default=False)


class ProjectDraftIn(StrictSerializer):
    """A đề án draft as another system sends it; saved by the same service as the entry page."""

    plan = ScopedPrimaryKey(queryset=AnnualPlan.objects.all())
    title = StrictText(max_length=400)
    shape = serializers.ChoiceField(choices=Project.Shape.choices, default=Project.Shape.NAMED)
    selection = serializers.ChoiceField(choices=Project.Selection.choices, default=Project.Selection.REVIEW)
    implementing_agency = StrictPrimaryKey(queryset=Agency.objects.all(), allow_null=True, required=False)
    implementing_unit_name = StrictText(max_length=300, allow_blank=True, required=False)
    coordinating_unit = StrictText(max_length=300, allow_blank=True, required=False)
    site_address = StrictText(max_length=300, allow_blank=True, required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)
    need_and_basis = StrictText(max_length=20000, allow_blank=True, required=False)
    objectives = StrictText(max_length=20000, allow_blank=True, required=False)
    scale = StrictText(max_length=20000, allow_blank=True, required=False)
    expected_effects = StrictText(max_length=20000, allow_blank=True, required=False)
    contents = StrictSlug(
        slug_field="number", queryset=ActivityContent.objects.all(), many=True, allow_empty=False
    )
    sites = StrictPrimaryKey(queryset=AdministrativeUnit.objects.all(), many=True, required=False)
    budget_lines = BudgetLineIn(many=True, required=False, max_length=500)
    outputs = OutputPlanIn(many=True, required=False, max_length=100)
    beneficiaries = BeneficiaryLinkIn(many=True, required=False, max_length=1000)

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and start > end:
            raise serializers.ValidationError({"end_date": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
        indicators = [row["indicator"].pk for row in attrs.get("outputs", [])]
        if len(indicators) != len(set(indicators)):
            raise serializers.ValidationError({"outputs": [_("Mỗi chỉ tiêu chỉ nêu một lần.")]})
        people = [row["beneficiary"].pk for row in attrs.get("beneficiaries", [])]
        if len(people) != len(set(people)):
            raise serializers.ValidationError({"beneficiaries": [_("Mỗi cơ sở chỉ nêu một lần.")]})
        return attrs


class AchievedIn(StrictSerializer):
    indicator = StrictSlug(slug_field="code", queryset=Indicator.objects.all())
    achieved = StrictInteger(min_value=0, max_value=2**31 - 1, allow_null=True)


class OutputsIn(StrictSerializer):
    """Achieved outputs of a đề án in progress, per indicator."""

    outputs = AchievedIn(many=True, allow_empty=False, max_length=100)

    def validate_outputs(self, rows):
        codes = [row["indicator"].pk for row in rows]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Mỗi chỉ tiêu chỉ nêu một lần."))
        return rows


# ---------------------------------------------------------------------------------------------- report


class StatusFigure(serializers.Serializer):
    status = serializers.CharField()
    count = serializers.IntegerField()
    planned = serializers.IntegerField()


class SourceFigure(serializers.Serializer):
    source = serializers.CharField(allow_null=True)
    planned = serializers.IntegerField()
    allocated = serializers.IntegerField()
    advanced = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    settled = serializers.IntegerField()


class ContentFigure(serializers.Serializer):
    content = serializers.IntegerField(allow_null=True)
    projects = serializers.IntegerField()
    planned = serializers.IntegerField()


class AnnualFigures(serializers.Serializer):
    province = serializers.CharField()
    year = serializers.IntegerField()
    project_count = serializers.IntegerField()
    by_status = StatusFigure(many=True)
    by_source = SourceFigure(many=True)
    by_content = ContentFigure(many=True)
