"""The audit trail page of one đề án; included by the root URLconf at /nhat-ky/de-an/ (URL name
`project_audit`, unchanged)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from khuyencong.audit import project_audit_trail

from .models import Project
from .permissions import can_read_audit_trail

# Who may read a đề án's audit trail: leadership of its province, the Ministry and administrators.


@login_required
@require_GET
def project_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail of one đề án (money records included), for leadership; others get 403."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    if not can_read_audit_trail(request.user):
        raise PermissionDenied
    entries = list(project_audit_trail(project)[:500])
    return render(request, "security/project_audit.html", {"project": project, "entries": entries})


urlpatterns = [path("<int:pk>/", project_audit, name="project_audit")]
