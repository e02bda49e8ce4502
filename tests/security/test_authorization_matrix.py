"""Every page of the portal, for every role, with objects of the user's own province and of another.

The URLs come from the URL resolver, so a page added tomorrow is walked tomorrow: if its keyword arguments
are unknown, or its answers are not in the table below, the test fails and says what to add. Besides the
status code, every page a provincial user can open is searched for the other province's data (its đề án
code and title, beneficiary, programme and plan names), in HTML and in downloaded workbooks.
"""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role

from .conftest import (
    ALL_ROLES,
    CUC_ROLES,
    OTHER_MARK,
    OWN_MARK,
    PROVINCE_ROLES,
    background_job_for,
    certification_for,
    import_job_for,
    issued_report_for,
    need_for,
)

OF, AP, LE, CE, MI, AD = Role.OFFICER, Role.APPRAISER, Role.LEADER, Role.CENTRE, Role.MINISTRY, Role.ADMIN
CO, CC, CL = Role.CUC_OFFICER, Role.CUC_COUNCIL, Role.CUC_LEADER
NATIONWIDE = (MI, CO, CC, CL, AD)  # every role that sees every province

# Pages anyone may open, and why.
PUBLIC = {
    "healthz": "monitoring probe; says only whether the database answers",
    "set_language": "language switch; stores a cookie, shows nothing",
    "accounts:login": "the login page",
    "accounts:logout": "logging out",
    "favicon": "the portal's icon (a redirect to a static file)",
    "issuance:verify": "public verification of issued reports: number, date, agency, hash; no figures",
    "issuance:verify_code": "the same for one verification code",
    "needs:register": "establishments register their needs without an account",
    "needs:lookup": "looking a receipt code up",
    "needs:receipt": "the receipt and status of one need, reached only by its unguessable code",
    "deadlines:feed": "a calendar feed, reached only by its secret token (a phone calendar cannot log in)",
}

# What the `<pk>` of each URL names (the views do not declare a model, so the table says it).
PK_OBJECT = {
    "project_audit": "project",
    "projects:detail": "project",
    "projects:edit": "project",
    "projects:step": "project",
    "projects:note": "project",
    "projects:document": "document",
    "programs:detail": "programme",
    "programs:plan_detail": "plan",
    "programs:target_achieved": "target",
    "beneficiaries:detail": "beneficiary",
    "reports:programme": "programme",
    "spreadsheets:preview": "import_job",
    "spreadsheets:confirm": "import_job",
    "spreadsheets:convert": "import_job",
    "spreadsheets:cancel": "import_job",
    "spreadsheets:rejected": "import_job",
    "issuance:detail": "issued",
    "issuance:file": "issued",
    "issuance:signed_file": "issued",
    "issuance:upload_signed": "issued",
    "issuance:sign_agency": "issued",
    "needs:detail": "need",
    "needs:action": "need",
    "planning:cycle": "plan",
    "planning:build": "plan",
    "planning:adjust": "plan",
    "planning:step": "plan",
    "planning:programme_edit": "programme",
    "planning:programme_approve": "programme",
    "merging:start": "beneficiary",
    "beneficiaries:edit": "beneficiary",
    "beneficiaries:certification_add": "beneficiary",
    "beneficiaries:certification_edit": "beneficiary",
    "jobs:detail": "background_job",
    "jobs:file": "background_job",
    "projects:national_plan": "national_plan",
    "projects:national_plan_line": "national_plan",
    "projects:national_plan_approve": "national_plan",
}
# Keyword arguments that are not objects: one valid value each.
PLAIN_KWARGS = {
    "action": "submit",
    "kind": "beneficiaries",
    "period": "2025",
    "fmt": "xlsx",
    "year": 2026,
    "copy": 1,  # a signed copy that does not exist: 404 for everyone
    "code": "NC-AAAA-AAAA",  # neither a need's receipt nor an issued report's verification code
    "token": "khong-co-dia-chi-nay",
}
# Keyword arguments that name a province's record by something other than a pk.
SCOPED_KWARGS = {
    "province": lambda side: side.province.code,
    "cert_pk": lambda side: certification_for(side).pk,
}

STAFF = (OF, AP, LE, CE, MI, CO, CC, CL, AD)


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(STAFF, status)


# The expected GET answer per URL name and role, on the user's own province (or with no object); a role
# not listed gets 403. The anonymous visitor is always sent to the login page.
GET_EXPECTED: dict[str, dict[str, int]] = {
    "home": everyone(),
    "two_factor:setup": {LE: 200, AD: 200},  # the second factor is offered to leadership and admins only
    "two_factor:disable": everyone(405),  # POST only
    "two_factor:verify": everyone(),  # harmless without a device: no code is ever accepted
    "project_audit": {LE: 200, MI: 200, CL: 200, AD: 200},
    "projects:list": everyone(),
    # The centre drafts national đề án (the national step table gives it the edit step).
    "projects:create": {OF: 200, CE: 200},
    "projects:detail": everyone(),
    "projects:edit": {OF: 200, AD: 200},
    "projects:step": everyone(405),  # POST only
    "projects:note": everyone(405),  # POST only
    "projects:bulk_step": everyone(405),  # POST only
    "projects:advances": everyone(),
    "projects:document": everyone(),
    "programs:list": everyone(),
    "programs:detail": everyone(),
    "programs:plan_list": everyone(),
    "programs:plan_detail": everyone(),
    "programs:target_achieved": everyone(405),  # POST only
    "beneficiaries:list": everyone(),
    "beneficiaries:create": {OF: 200, AD: 200},
    "beneficiaries:detail": everyone(),
    "beneficiaries:autocomplete": everyone(),
    "beneficiaries:tax_code_check": everyone(),
    "reports:index": everyone(),
    "reports:dashboard": everyone(),
    "reports:annual": everyone(),
    "reports:programme": everyone(),
    "reports:national": {OF: 404, AP: 404, LE: 404, CE: 404, **dict.fromkeys(NATIONWIDE, 200)},
    "reports:national_programme": {OF: 404, AP: 404, LE: 404, CE: 404, **dict.fromkeys(NATIONWIDE, 200)},
    "projects:national_desk": dict.fromkeys(NATIONWIDE, 200),
    "projects:national_plan": everyone(),  # a province sees the plan holding its đề án (its own share)
    "projects:national_plan_create": everyone(405),  # POST only
    "projects:national_plan_line": everyone(405),  # POST only
    "projects:national_plan_approve": everyone(405),  # POST only
    "reports:projects": everyone(),
    "reports:support_history": everyone(),
    "spreadsheets:index": {OF: 200, CE: 200, AD: 200},
    "spreadsheets:template": {OF: 200, CE: 200, AD: 200},
    "spreadsheets:preview": {OF: 200, CE: 200, AD: 200},
    "spreadsheets:rejected": {OF: 200, CE: 200, AD: 200},
    "spreadsheets:confirm": {OF: 405, CE: 405, AD: 405},  # POST only
    "spreadsheets:convert": {OF: 405, CE: 405, AD: 405},  # POST only
    "spreadsheets:cancel": {OF: 405, CE: 405, AD: 405},  # POST only
    "issuance:register": everyone(),
    "issuance:register_xlsx": everyone(),
    "issuance:report": everyone(404),  # names no report without its parameters
    "issuance:detail": everyone(),
    "issuance:file": everyone(),
    "issuance:signed_file": everyone(404),
    "issuance:upload_signed": everyone(405),  # POST only
    "issuance:sign_agency": everyone(405),  # POST only
    "projects:plan_remaining": everyone(405),  # POST only (HTMX)
    "needs:list": everyone(),
    "needs:detail": everyone(),
    "needs:action": everyone(405),  # POST only
    "planning:create": {OF: 200, CE: 200},
    "planning:cycle": everyone(),
    # A plan with no draft to build or approved version to adjust sends the preparer back to its page.
    "planning:build": {OF: 302, CE: 302},
    "planning:adjust": {OF: 302, CE: 302},
    "planning:step": everyone(405),  # POST only
    "planning:programme_create": {OF: 200, CE: 200},
    "planning:programme_edit": {OF: 200, CE: 200},
    "planning:programme_approve": everyone(405),  # POST only
    "merging:list": {AD: 200},
    "merging:start": {OF: 200, CE: 200},
    "deadlines:calendar": everyone(),
    "beneficiaries:edit": {OF: 200, CE: 200},
    "beneficiaries:certification_add": {OF: 200, CE: 200},
    "beneficiaries:certification_edit": {OF: 200, CE: 200},
    "jobs:detail": everyone(),
    "jobs:file": everyone(),
    "reminders:preferences": everyone(),
}
# On another province's object a provincial user gets 404 ("not yours" looks like "does not exist"), and
# the Ministry and administrators get what they get on their own; these differ (a role not listed: 403).
OTHER_SCOPE: dict[str, dict[str, int]] = {
    "projects:step": everyone(405),  # the method is refused before the object is looked up; POST: 404
    "projects:note": everyone(405),
    "programs:target_achieved": everyone(405),
    # Each person sees only their own uploads, administrators included.
    "spreadsheets:preview": {OF: 404, CE: 404, AD: 404},
    "spreadsheets:rejected": {OF: 404, CE: 404, AD: 404},
    "spreadsheets:confirm": {OF: 405, CE: 405, AD: 405},
    "spreadsheets:convert": {OF: 405, CE: 405, AD: 405},
    "spreadsheets:cancel": {OF: 405, CE: 405, AD: 405},
    "issuance:upload_signed": everyone(405),  # the method is refused first; a POST answers 404
    "issuance:sign_agency": everyone(405),
    "needs:action": everyone(405),
    "planning:step": everyone(405),
    "planning:programme_approve": everyone(405),
    # Each person sees only the background work they started, administrators included.
    "jobs:detail": everyone(404),
    "jobs:file": everyone(404),
    "projects:national_plan_line": everyone(405),
    "projects:national_plan_approve": everyone(405),
}
# POSTs that change nothing, whoever sends them.
# (The e-mail choices change only the sender's own preferences, never the portal's records.)
HARMLESS_POST = {"two_factor:verify", "reminders:preferences", "projects:plan_remaining"}


@dataclass(frozen=True)
class PortalUrl:
    name: str
    route: str
    kwargs: tuple[str, ...]


def _walk(patterns, prefix="", namespace=None, kwargs=()):
    for pattern in patterns:
        names = tuple(getattr(pattern.pattern, "converters", {}).keys()) or tuple(
            pattern.pattern.regex.groupindex
        )
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin has its own login and is checked in test_admin_*
            if pattern.app_name in {"public", "api"}:
                continue  # open to all by design (tests/public) / keys, not sessions (tests/api)
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns, kwargs + names)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield PortalUrl(name=name or "", route=prefix + str(pattern.pattern), kwargs=kwargs + names)


def portal_urls() -> list[PortalUrl]:
    return list(_walk(get_resolver().url_patterns))


def test_every_portal_url_has_a_name_and_known_arguments():
    problems = []
    for url in portal_urls():
        if not url.name:
            problems.append(f"{url.route}: no name, so it cannot be walked")
            continue
        for kwarg in url.kwargs:
            if kwarg == "pk" and url.name not in PK_OBJECT:
                problems.append(f"{url.name}: add what its <pk> names to PK_OBJECT")
            elif kwarg != "pk" and kwarg not in PLAIN_KWARGS and kwarg not in SCOPED_KWARGS:
                problems.append(f"{url.name}: add a value for <{kwarg}> to PLAIN_KWARGS or SCOPED_KWARGS")
        if url.name not in PUBLIC and url.name not in GET_EXPECTED:
            problems.append(f"{url.name}: add its expected answers to GET_EXPECTED")
    assert not problems, "\n".join(problems)


def _objects(world, side_name: str, user):
    side = getattr(world, side_name)
    owner = user if (side_name == "own" and user is not None) else side.users[OF]
    return {
        "project": side.project,
        "document": side.document,
        "programme": side.programme,
        "target": lambda: (
            side.programme.targets.first()
            or side.programme.targets.create(description="Chỉ tiêu theo dõi thủ công", tracked_by_hand=True)
        ),
        "plan": side.plan,
        "beneficiary": side.beneficiary,
        "import_job": lambda: import_job_for(owner, side_name),
        "issued": lambda: issued_report_for(side, OWN_MARK if side_name == "own" else OTHER_MARK),
        "need": lambda: need_for(side),
        "background_job": lambda: background_job_for(owner, side_name),
        "national_plan": side.national_plan,
    }, side


def build(url: PortalUrl, world, scope: str, user) -> str:
    objects, side = _objects(world, "own" if scope == "none" else scope, user)
    values = {}
    for kwarg in url.kwargs:
        if kwarg == "pk":
            obj = objects[PK_OBJECT[url.name]]
            values[kwarg] = (obj() if callable(obj) else obj).pk
        elif kwarg in SCOPED_KWARGS:
            values[kwarg] = SCOPED_KWARGS[kwarg](side)
        else:
            values[kwarg] = PLAIN_KWARGS[kwarg]
    return reverse(url.name, kwargs=values)


def scopes_of(url: PortalUrl) -> tuple[str, ...]:
    scoped = any(k == "pk" or k in SCOPED_KWARGS for k in url.kwargs)
    return ("own", "other") if scoped else ("none",)


def body_text(response) -> str:
    """The readable text of a response: HTML as is, an xlsx workbook's XML parts unzipped."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(
                book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml")
            )
    return data.decode("utf-8", "replace")


def expected_get(name: str, role: str, scope: str) -> int:
    if role == "anonymous":
        return 302
    if scope == "other":
        if name in OTHER_SCOPE:
            return OTHER_SCOPE[name].get(role, 403)
        if role in PROVINCE_ROLES:
            return 404
    return GET_EXPECTED[name].get(role, 403)


def _client(client, world, role):
    client.raise_request_exception = False  # a crash is a 500 to report, not an exception
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_answers_each_role_as_the_table_says_and_never_shows_another_province(client, world, role):
    _client(client, world, role)
    user = world.user(role)
    login = reverse(settings.LOGIN_URL)
    wrong, leaks, crashes = [], [], []
    for url in portal_urls():
        if url.name in PUBLIC or url.name not in GET_EXPECTED:
            continue
        for scope in scopes_of(url):
            path = build(url, world, scope, user)
            response = client.get(path)
            status = response.status_code
            if status >= 500:
                crashes.append(f"{url.name} [{scope}] {path}: {status}")
                continue
            want = expected_get(url.name, role, scope)
            if status != want:
                wrong.append(f"{url.name} [{scope}] {path}: {status}, expected {want}")
            if role == "anonymous" and status == 302 and not response["Location"].startswith(login):
                wrong.append(
                    f"{url.name}: anonymous redirected to {response['Location']}, not the login page"
                )
            if status == 200 and role in PROVINCE_ROLES and OTHER_MARK.lower() in body_text(response).lower():
                leaks.append(f"{url.name} [{scope}] {path} shows data of another province")
            if status == 200 and scope == "none" and role in PROVINCE_ROLES:
                # The list's own export must hold no more than the list.
                exported = client.get(path, {"export": "xlsx"})
                if exported.status_code == 200 and OTHER_MARK.lower() in body_text(exported).lower():
                    leaks.append(f"{url.name} [export] {path}?export=xlsx holds data of another province")
    assert not crashes and not wrong and not leaks, "\n".join(crashes + wrong + leaks)


def _snapshot(world):
    from beneficiaries.models import Beneficiary
    from programs.models import AnnualPlan, Programme
    from projects.models import (
        BudgetLine,
        NationalPlan,
        NationalPlanLine,
        Project,
        ProjectDocument,
        ProjectTransition,
    )

    other = world.other
    other.project.refresh_from_db()
    return (
        list(Project.objects.order_by("pk").values_list("status", flat=True)),
        list(NationalPlan.objects.order_by("pk").values_list("status", "total")),
        list(NationalPlanLine.objects.order_by("pk").values_list("amount", flat=True)),
        other.project.status,
        other.project.title,
        list(BudgetLine.objects.filter(project=other.project).values_list("amount", flat=True)),
        Project.objects.count(),
        Beneficiary.objects.count(),
        Programme.objects.count(),
        AnnualPlan.objects.count(),
        ProjectDocument.objects.count(),
        ProjectTransition.objects.count(),
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_post_reaches_another_provinces_records_or_lets_the_ministry_write(client, world, role):
    """POSTs (empty forms) to every page: anonymous visitors go to the login page; provincial users are
    refused on another province's records; the read-only Ministry is refused everywhere; nothing changes."""
    _client(client, world, role)
    user = world.user(role)
    login = reverse(settings.LOGIN_URL)
    before = _snapshot(world)
    wrong = []
    for url in portal_urls():
        if url.name in PUBLIC or url.name in HARMLESS_POST or url.name not in GET_EXPECTED:
            continue
        for scope in scopes_of(url):
            if role in PROVINCE_ROLES and scope != "other":
                continue  # their own records: the pages' own tests cover what a POST does there
            if role == AD:
                continue  # administrators may write everywhere
            path = build(url, world, scope, user)
            response = client.post(path, {})
            status = response.status_code
            if role == "anonymous":
                ok = status == 302 and response["Location"].startswith(login)
            elif role in CUC_ROLES:
                # The Cục may write on national records of every province: an empty form is refused (400),
                # or, on a list's bulk form, sent back to its page with the reason (nothing changes either way).
                ok = status in (400, 403, 404, 405) or (
                    scope == "none" and status == 302 and not response["Location"].startswith(login)
                )
            else:
                ok = status in (403, 404, 405)
            if not ok:
                wrong.append(f"POST {url.name} [{scope}] {path}: {status}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot(world) == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_administrators_reach_the_admin(client, world, role):
    _client(client, world, role)
    for name in ("admin:index", "admin:projects_project_changelist", "admin:auth_user_changelist"):
        response = client.get(reverse(name))
        if role == AD:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("admin:login")), name


def test_the_admin_lives_at_the_configured_path():
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


NATIONAL_DETAIL = {**dict.fromkeys(PROVINCE_ROLES, 200), **dict.fromkeys(NATIONWIDE, 200)}
# Who may send a national đề án back for more at the Cục's appraisal (the national step table).
CUC_RETURN_TAKERS = {CO, CL, AD}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_national_projects_answer_each_role_in_own_and_other_province(client, world, role):
    """A national đề án of either province: provinces see and act on their own only, the Cục on every
    province's at its own steps, the Ministry viewer reads; a step refused changes nothing."""
    from projects.models import Project, ProjectStatus

    _client(client, world, role)
    wrong = []
    for scope in ("own", "other"):
        project = getattr(world, scope).national_project
        detail = client.get(reverse("projects:detail", kwargs={"pk": project.pk}))
        if role == "anonymous":
            want = 302
        elif scope == "other" and role in PROVINCE_ROLES:
            want = 404
        else:
            want = NATIONAL_DETAIL[role]
        if detail.status_code != want:
            wrong.append(f"detail [{scope}]: {detail.status_code}, expected {want}")
        response = client.post(
            reverse("projects:step", kwargs={"pk": project.pk, "action": "cuc_return"}),
            {"cuc_return-comment": "Bổ sung báo giá thiết bị"},
        )
        project.refresh_from_db()
        if role == "anonymous":
            want, moved = 302, False
        elif scope == "other" and role in PROVINCE_ROLES:
            want, moved = 404, False
        elif role in CUC_RETURN_TAKERS:
            want, moved = 302, True
        else:
            want, moved = 403, False
        if response.status_code != want or (project.status == ProjectStatus.RETURNED) is not moved:
            wrong.append(f"cuc_return [{scope}]: {response.status_code} → {project.status}, expected {want}")
        Project.objects.filter(pk=project.pk).update(status=ProjectStatus.CUC_REVIEW)
    assert not wrong, "\n".join(wrong)
