"""Load the national procedure (who takes which step) into WorkflowStepRole, province empty."""

from django.db import migrations

NATIONAL = {
    "submit": ["officer"],
    "start_appraisal": ["officer"],
    "return": ["leader"],
    "reject": ["leader"],
    "approve": ["leader"],
    "contract": ["centre"],
    "start": ["centre"],
    "request_adjustment": ["centre", "officer"],
    "approve_adjustment": ["leader"],
    "stop": ["leader"],
    "withdraw": ["officer"],
    "accept": ["centre"],
    "close": ["centre"],
    "settle": ["leader"],
    "edit": ["officer"],
    "appraise": ["appraiser"],
    "report_progress": ["centre"],
    "request_advance": ["centre"],
    "decide_advance": ["leader"],
    "record_disbursement": ["centre"],
    "record_outputs": ["centre"],
    "upload_document": ["officer", "appraiser", "leader", "centre"],
}
BASIS = "Quy trình chung (Thông tư 36/2013/TT-BCT, sửa đổi bởi Thông tư 17/2018/TT-BCT)"


def load(apps, schema_editor):
    WorkflowStepRole = apps.get_model("projects", "WorkflowStepRole")
    for action, roles in NATIONAL.items():
        for role in roles:
            WorkflowStepRole.objects.get_or_create(
                province=None, action=action, role=role, defaults={"legal_basis": BASIS}
            )


def unload(apps, schema_editor):
    apps.get_model("projects", "WorkflowStepRole").objects.filter(province=None).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_lifecycle")]
    operations = [migrations.RunPython(load, unload)]
