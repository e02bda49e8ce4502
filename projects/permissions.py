"""Who may do what to a đề án: small predicates, used by services (to refuse) and views (to show buttons).

Three things decide: the user's role (accounts.roles), the user's province (accounts.scoping: one may act
only on the đề án of one's own province; the Ministry reads every province and changes nothing), and the
step table (`WorkflowStepRole`: a province's own rows for a step, else the national rows, else the code
default in projects.workflow). Whether the đề án's status allows the step comes from projects.workflow.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.roles import MINISTRY_ACTING_ROLES, Role, has_role, user_roles
from accounts.scoping import sees_all_provinces, user_province_id

from .models import Project, WorkflowAction, WorkflowStepRole
from .workflow import DEFAULT_NATIONAL_STEP_ROLES, DEFAULT_STEP_ROLES, action_allowed_for

A = WorkflowAction
User = AbstractBaseUser | AnonymousUser


def step_roles(
    action: str, province_id: int | None, *, cache: dict | None = None, kind: str = Project.Kind.LOCAL
) -> frozenset[str]:
    """The roles that take `action` in a province on a đề án of `kind`: the province's own rule if it has
    one, else the national one (the rows of that kind, else the code default for that kind).

    `cache` (a dict kept on the user for the request) saves reading the table once per predicate."""
    rules = cache.get(province_id) if cache is not None else None
    if rules is None:
        rules = _load_rules(province_id)
        if cache is not None:
            cache[province_id] = rules
    rules = rules.get(kind, _NO_RULES)
    if action in rules["province"]:
        return rules["province"][action]
    if action in rules["national"]:
        return rules["national"][action]
    default = DEFAULT_NATIONAL_STEP_ROLES if kind == Project.Kind.NATIONAL else DEFAULT_STEP_ROLES
    return default.get(action, frozenset())


_NO_RULES: dict[str, dict[str, frozenset[str]]] = {"province": {}, "national": {}}


def _load_rules(province_id: int | None) -> dict[str, dict[str, dict[str, frozenset[str]]]]:
    """The province's rows and the national rows of the step table, for both kinds of đề án (one query: a
    page asks about local and national đề án alike)."""
    found: dict[str, dict[str, dict[str, set[str]]]] = {}
    rows = WorkflowStepRole.objects.filter(
        province_id__in=[province_id] if province_id else []
    ) | WorkflowStepRole.objects.filter(province__isnull=True)
    for province, kind, action, role in rows.values_list("province_id", "kind", "action", "role"):
        scopes = found.setdefault(kind, {"province": {}, "national": {}})
        scopes["province" if province else "national"].setdefault(action, set()).add(role)
    return {
        kind: {scope: {a: frozenset(r) for a, r in by_action.items()} for scope, by_action in scopes.items()}
        for kind, scopes in found.items()
    }


def rules_cache(user: User) -> dict:
    """The step table as read for this user object (one request): read once, used by every predicate."""
    return user.__dict__.setdefault("_khuyencong_step_rules", {})


def is_system_admin(user: User) -> bool:
    return has_role(user, Role.ADMIN)


def is_read_only(user: User) -> bool:
    """The Ministry viewer reads every province and changes nothing."""
    return has_role(user, Role.MINISTRY) and not is_system_admin(user)


def is_ministry_actor(user: User) -> bool:
    """The Cục's officer, council member or leadership (act on national đề án only)."""
    return has_role(user, *MINISTRY_ACTING_ROLES) and not is_read_only(user)


def in_scope(user: User, project: Project) -> bool:
    """The đề án belongs to the user's province (the only province where the user may act)."""
    province_id = user_province_id(user)
    return province_id is not None and province_id == project.province_id


def may_take_step(user: User, project: Project, action: str) -> bool:
    """Role and province allow `action` on this đề án, whatever its status. The Ministry's acting roles
    act on national đề án of every province and on nothing else; provincial roles act in their province."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = step_roles(action, project.province_id, cache=rules_cache(user), kind=project.kind)
    if is_system_admin(user):
        return bool(allowed)  # any step of this đề án's procedure (not the national one's on a local đề án)
    if is_read_only(user):
        return False
    roles = user_roles(user)
    if roles & MINISTRY_ACTING_ROLES & allowed and project.kind == Project.Kind.NATIONAL:
        return True
    if not in_scope(user, project):
        return False
    return bool((roles - MINISTRY_ACTING_ROLES) & allowed)


def can_take(user: User, project: Project, action: str) -> bool:
    """Role, province and the đề án's current status all allow `action` (what buttons to show)."""
    return action_allowed_for(project, action) and may_take_step(user, project, action)


def can_view_project(user: User, project: Project) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return sees_all_provinces(user) or in_scope(user, project)


def can_edit_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.EDIT)


def can_submit_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.SUBMIT)


def can_start_appraisal_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.START_APPRAISAL)


def can_return_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.RETURN)


def can_reject_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.REJECT)


def can_approve_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.APPROVE)


def can_contract_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.CONTRACT)


def can_start_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.START)


def can_request_adjustment_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.REQUEST_ADJUSTMENT)


def can_approve_adjustment_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.APPROVE_ADJUSTMENT)


def can_decline_adjustment_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.DECLINE_ADJUSTMENT)


def can_stop_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.STOP)


def can_withdraw_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.WITHDRAW)


def can_accept_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.ACCEPT)


def can_close_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.CLOSE)


def can_settle_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.SETTLE)


def can_appraise_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.APPRAISE)


def can_report_progress_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.REPORT_PROGRESS)


def can_request_advance_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.REQUEST_ADVANCE)


def can_decide_advance_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.DECIDE_ADVANCE)


def can_record_disbursement_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.RECORD_DISBURSEMENT)


def can_record_outputs_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.RECORD_OUTPUTS)


def can_upload_document_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.UPLOAD_DOCUMENT)


def can_forward_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.FORWARD)


def can_cuc_receive_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.CUC_RECEIVE)


def can_cuc_return_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.CUC_RETURN)


def can_cuc_reject_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.CUC_REJECT)


def can_cuc_appraise_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.CUC_APPRAISE)


def can_national_approve_project(user: User, project: Project) -> bool:
    return can_take(user, project, A.NATIONAL_APPROVE)


def can_download_document_project(user: User, project: Project) -> bool:
    return can_view_project(user, project)


def can_read_audit_trail(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Leadership, the Ministry and administrators read a đề án's full audit trail (who changed what, when)."""
    return has_role(user, Role.LEADER, Role.MINISTRY, Role.CUC_LEADER, Role.ADMIN)
