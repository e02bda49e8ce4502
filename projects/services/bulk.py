"""One step taken for several đề án or advances at once. Each item goes through its own service, with its
own permission check, row lock, rule checks, audit row and notification; one refused item neither stops nor
undoes the others, and the caller gets what succeeded and what did not, with the reason."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Advance, Project, WorkflowAction
from ..workflow import InvalidTransition
from .tracking import advance_decide
from .workflow import MOVE_SERVICES

A = WorkflowAction

# Steps offered for several đề án at once: those that need nothing but the same decision for each.
BULK_PROJECT_ACTIONS = (A.SUBMIT, A.START_APPRAISAL, A.APPROVE, A.START)


@dataclass(frozen=True)
class BulkOutcome:
    item: Project | Advance
    done: bool
    reason: str = ""


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidTransition):
        return _("Trạng thái hiện tại không cho phép bước này.")
    if isinstance(error, PermissionDenied):
        return str(error) or _("Bạn không có quyền thực hiện bước này.")
    return " ".join(getattr(error, "messages", [str(error)]))


def projects_take_step(*, actor, projects: Iterable[Project], action: str, **kwargs) -> list[BulkOutcome]:
    """Take `action` on each đề án through its service (kwargs as that service takes them)."""
    if action not in BULK_PROJECT_ACTIONS:
        raise ValidationError(_("Bước này không làm được cho nhiều đề án cùng lúc."))
    service = MOVE_SERVICES[action]
    outcomes = []
    for project in projects:
        try:
            service(actor=actor, project=project, **kwargs)
        except (ValidationError, InvalidTransition, PermissionDenied) as error:
            outcomes.append(BulkOutcome(project, False, _reason(error)))
        else:
            outcomes.append(BulkOutcome(project, True))
    return outcomes


def advances_decide(
    *,
    actor,
    advances: Iterable[Advance],
    approve: bool,
    decision_date: datetime.date | None = None,
    comment: str = "",
) -> list[BulkOutcome]:
    """Grant or refuse several requested advances, each through `advance_decide`."""
    outcomes = []
    for advance in advances:
        try:
            advance_decide(
                actor=actor, advance=advance, approve=approve, decision_date=decision_date, comment=comment
            )
        except (ValidationError, InvalidTransition, PermissionDenied) as error:
            outcomes.append(BulkOutcome(advance, False, _reason(error)))
        else:
            outcomes.append(BulkOutcome(advance, True))
    return outcomes
