"""Writes about users: roles as groups, and the demo accounts of the newcomer's portal."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import StaffProfile
from .names import split_person_name
from .roles import GROUP_NAMES, Role

# Every role reads the records of a đề án's life (limited to its province by visible_to querysets).
_LIFECYCLE_VIEW = [
    f"projects.view_{model}"
    for model in (
        "projecttransition",
        "appraisal",
        "progressreport",
        "advance",
        "disbursement",
        "acceptance",
        "settlementline",
        "projectdocument",
        "workflowsteprole",
        "advancerule",
    )
]

# Model permissions each role's group holds (object rules live in each app's permissions.py).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "projects.add_project",
        "projects.change_project",
        "projects.view_project",
        "projects.add_budgetline",
        "projects.change_budgetline",
        "projects.delete_budgetline",
        "projects.view_budgetline",
        "projects.add_projectbeneficiary",
        "projects.change_projectbeneficiary",
        "projects.delete_projectbeneficiary",
        "projects.view_projectbeneficiary",
        "projects.add_projectoutput",
        "projects.change_projectoutput",
        "projects.view_projectoutput",
        "beneficiaries.add_beneficiary",
        "beneficiaries.change_beneficiary",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "programs.change_annualplan",
        "programs.add_annualplan",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.APPRAISER: [
        "projects.view_project",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "projects.add_appraisal",
        "projects.change_appraisal",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.LEADER: [
        "projects.view_project",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "programs.change_annualplan",
        "projects.change_advance",
        "projects.add_settlementline",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.CENTRE: [
        "projects.view_project",
        "projects.change_projectoutput",
        "projects.view_projectoutput",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "projects.add_progressreport",
        "projects.add_advance",
        "projects.add_disbursement",
        "projects.add_acceptance",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.MINISTRY: [
        "projects.view_nationalplan",
        "projects.view_project",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        *_LIFECYCLE_VIEW,
    ],
    # The Cục acts on national đề án (the step table says at which steps); it reads everything else.
    Role.CUC_OFFICER: [
        "projects.view_project",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "projects.view_nationalplan",
        "projects.add_nationalplan",
        "projects.change_nationalplan",
        "projects.add_disbursement",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.CUC_COUNCIL: [
        "projects.view_project",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "projects.view_nationalplan",
        "projects.add_appraisal",
        "projects.change_appraisal",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.CUC_LEADER: [
        "projects.view_project",
        "beneficiaries.view_beneficiary",
        "programs.view_programme",
        "programs.view_annualplan",
        "projects.view_nationalplan",
        "projects.change_nationalplan",
        "projects.change_advance",
        "projects.add_settlementline",
        "projects.add_projectdocument",
        *_LIFECYCLE_VIEW,
    ],
    Role.ADMIN: [],
}


def roles_setup() -> dict[str, Group]:
    """Create or update the role groups and their model permissions (idempotent)."""
    groups: dict[str, Group] = {}
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = ROLE_PERMISSIONS.get(role, [])
        perms = [
            p
            for p in Permission.objects.select_related("content_type")
            if f"{p.content_type.app_label}.{p.codename}" in set(codenames)
        ]
        group.permissions.set(perms)
        groups[role] = group
    return groups


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    agency_id: int | None
    position: str


# Agencies referenced by primary key come from fixtures/seed/sources.json.
DEMO_ACCOUNTS = [
    DemoAccount(
        "canbo.cantho", "Nguyễn Văn An (demo)", Role.OFFICER, 2, "Chuyên viên Phòng Quản lý công nghiệp"
    ),
    DemoAccount("trungtam.cantho", "Trần Thị Bình (demo)", Role.CENTRE, 3, "Cán bộ Trung tâm Khuyến công"),
    DemoAccount("thamdinh.cantho", "Lê Văn Cường (demo)", Role.APPRAISER, 2, "Thành viên hội đồng thẩm định"),
    DemoAccount("lanhdao.cantho", "Phạm Thị Dung (demo)", Role.LEADER, 2, "Phó Giám đốc Sở"),
    DemoAccount(
        "canbo.haiphong", "Hoàng Văn Em (demo)", Role.OFFICER, 5, "Chuyên viên Phòng Quản lý công nghiệp"
    ),
    DemoAccount("trungtam.haiphong", "Vũ Thị Giang (demo)", Role.CENTRE, 6, "Cán bộ Trung tâm Khuyến công"),
    DemoAccount(
        "thamdinh.haiphong", "Đặng Văn Hải (demo)", Role.APPRAISER, 5, "Thành viên hội đồng thẩm định"
    ),
    DemoAccount("lanhdao.haiphong", "Bùi Thị Lan (demo)", Role.LEADER, 5, "Phó Giám đốc Sở"),
    DemoAccount("bo.congthuong", "Đỗ Văn Minh (demo)", Role.MINISTRY, 1, "Chuyên viên Cục"),
    DemoAccount("chuyenvien.cuc", "Ngô Thị Hà (demo)", Role.CUC_OFFICER, 1, "Chuyên viên Cục"),
    DemoAccount(
        "hoidong.bo", "Trịnh Văn Khoa (demo)", Role.CUC_COUNCIL, 1, "Thành viên hội đồng thẩm định của Bộ"
    ),
    DemoAccount("lanhdao.cuc", "Lý Thị Mai (demo)", Role.CUC_LEADER, 1, "Phó Cục trưởng"),
    DemoAccount("admin", "Quản trị hệ thống (demo)", Role.ADMIN, None, "Quản trị hệ thống"),
]


@transaction.atomic
def demo_accounts_ensure(*, password: str) -> list[DemoAccount]:
    """Create the demo accounts (or reset their password and role), one per role and province."""
    User = get_user_model()
    groups = roles_setup()
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=account.username)
        last, first = split_person_name(account.full_name.removesuffix(" (demo)"))
        user.first_name, user.last_name = first, last
        user.is_staff = account.role in (Role.ADMIN,)
        user.is_superuser = account.role == Role.ADMIN
        user.set_password(password)
        user.save()
        user.groups.set([groups[account.role]])
        if account.agency_id is not None:
            StaffProfile.objects.update_or_create(
                user=user,
                defaults={"agency_id": account.agency_id, "position": account.position},
            )
    return DEMO_ACCOUNTS
