"""Which version of the published data a cached public page belongs to.

Every committed write that can change a public page (a đề án reaching or changing in a published status, its
budget lines, outputs, beneficiaries, contents and places; programmes, plans, sources, beneficiaries, places)
raises the number in `DataVersion` once per transaction, after commit. Cached pages are keyed by that
number, so the first request after the commit computes the page again; nothing needs deleting, and it holds
for a per-process cache as for a shared one.

The receivers are cache bookkeeping of this (reading) app, not domain behaviour: they sit here so that every
door that saves through the models (pages, API, admin, imports, commands, tasks) is covered without the
domain apps knowing about the public pages. Writes that bypass the models (`QuerySet.update`, raw SQL) are
caught by the cached entries' time limit, `PUBLIC_CONTENT_CACHE_SECONDS`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import DataVersion

VERSION_ID = 1


def current() -> int:
    """The published data's version now (one indexed read of one row)."""
    number = DataVersion.objects.filter(pk=VERSION_ID).values_list("number", flat=True).first()
    return number or 0


def _bump() -> None:
    updated = DataVersion.objects.filter(pk=VERSION_ID).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not updated:
        DataVersion.objects.get_or_create(pk=VERSION_ID, defaults={"number": 1, "changed_at": timezone.now()})


def mark_changed(using: str | None = None) -> None:
    """Raise the version once the current transaction commits (at once outside one); many writes in one
    transaction (an import) raise it once. After commit, so a page read in between is not stored under
    the new number with the old data."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(func is _bump for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_bump, using=using)


def _public_statuses() -> frozenset[str]:
    from .selectors import PUBLIC_STATUSES

    return PUBLIC_STATUSES


def _project_changed(sender, instance, using, **kwargs) -> None:
    # No published đề án ever goes back to an unpublished status, so a save in a draft status changes
    # nothing public.
    if instance.status in _public_statuses():
        mark_changed(using)


def _part_changed(sender, instance, using, **kwargs) -> None:
    from projects.models import Project

    project_id = getattr(instance, "project_id", None)
    if project_id is None:
        return
    if Project.objects.using(using).filter(pk=project_id, status__in=_public_statuses()).exists():
        mark_changed(using)


def _always(sender, using, **kwargs) -> None:
    mark_changed(using)


def _links_changed(sender, instance, action, using, **kwargs) -> None:
    from projects.models import Project

    if action.startswith("post_") and (
        not isinstance(instance, Project) or instance.status in _public_statuses()
    ):
        mark_changed(using)


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
