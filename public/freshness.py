"""Which version of the published data a cached public page belongs to.

Every committed write that can change a public page raises a number in `DataVersion` once per transaction,
after commit: a đề án's own rows (the đề án in a published status, its budget lines, outputs, beneficiaries,
contents and places) raise its province's number; the rest (programmes, plans, sources, indicators, kinds,
agencies, beneficiaries, places) raises the number every page depends on. Cached pages and figures are keyed
by the numbers they depend on, so the first request after a commit computes again what changed; nothing
needs deleting, and it holds for a per-process cache as for a shared one.

The receivers are cache bookkeeping of this (reading) app, not domain behaviour: they sit here so that every
door that saves through the models (pages, API, admin, imports, commands, tasks) is covered without the
domain apps knowing about the public pages. Writes that bypass the models (`QuerySet.update`, raw SQL) are
caught by the cached entries' time limit, `PUBLIC_CONTENT_CACHE_SECONDS`.
"""

from __future__ import annotations

import functools

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import DataVersion

EVERYTHING = ""


def province_scope(province_id: int | None) -> str:
    return f"p:{province_id}" if province_id else EVERYTHING


def versions() -> dict[str, int]:
    """Every scope's number now (one read of a table of a few dozen rows)."""
    return dict(DataVersion.objects.values_list("scope", "number"))


def bump(scope: str = EVERYTHING) -> None:
    now = timezone.now()
    if DataVersion.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(scope=scope, number=1, changed_at=now)
    except IntegrityError:  # made meanwhile by another process
        DataVersion.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now)


def mark_changed(using: str | None = None, scope: str = EVERYTHING) -> None:
    """Raise the scope's number once the current transaction commits (at once outside one); many writes in
    one transaction (an import) raise it once. After commit, so a page read in between is not stored under
    the new number with the old data."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        getattr(func, "func", None) is bump and func.args == (scope,)
        for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(functools.partial(bump, scope), using=using)


def _public_statuses() -> frozenset[str]:
    from .selectors import PUBLIC_STATUSES

    return PUBLIC_STATUSES


def _project_changed(sender, instance, using, **kwargs) -> None:
    # No published đề án ever goes back to an unpublished status, so a save in a draft status changes
    # nothing public.
    if instance.status in _public_statuses():
        mark_changed(using, province_scope(instance.province_id))


def _part_changed(sender, instance, using, **kwargs) -> None:
    from projects.models import Project

    project_id = getattr(instance, "project_id", None)
    if project_id is None:
        return
    province = (
        Project.objects.using(using)
        .filter(pk=project_id, status__in=_public_statuses())
        .values_list("province_id", flat=True)
        .first()
    )
    if province is not None:
        mark_changed(using, province_scope(province))


def _always(sender, using, **kwargs) -> None:
    mark_changed(using)


def _links_changed(sender, instance, action, using, **kwargs) -> None:
    from projects.models import Project

    if not action.startswith("post_"):
        return
    if not isinstance(instance, Project):  # changed from the content's or the place's side
        mark_changed(using)
    elif instance.status in _public_statuses():
        mark_changed(using, province_scope(instance.province_id))


def connect() -> None:
    from django.apps import apps

    from projects.models import Project

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_project_changed, sender=Project, dispatch_uid=f"public-{name}-project")
        for label in ("projects.BudgetLine", "projects.ProjectOutput", "projects.ProjectBeneficiary"):
            signal.connect(_part_changed, sender=apps.get_model(label), dispatch_uid=f"public-{name}-{label}")
        for label in (
            "programs.Agency",
            "programs.ActivityContent",
            "programs.FundingSource",
            "programs.Indicator",
            "programs.Programme",
            "programs.ProgrammeTarget",
            "programs.AnnualPlan",
            "beneficiaries.BeneficiaryKind",
            "beneficiaries.Beneficiary",
            "places.AdministrativeUnit",
        ):
            signal.connect(_always, sender=apps.get_model(label), dispatch_uid=f"public-{name}-{label}")
    for through in (Project.contents.through, Project.sites.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"public-m2m-{through._meta.label}")
