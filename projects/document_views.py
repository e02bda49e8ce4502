"""Serving a đề án's documents: only to users who may see the đề án; anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import Project, ProjectDocument
from .services.documents import IMAGES, PDF


@login_required
@require_GET
def document_download(request, pk: int) -> FileResponse:
    """Stream the file with its original name; PDFs and images open in the browser, others download."""
    document = get_object_or_404(
        ProjectDocument.objects.select_related("project"),
        pk=pk,
        project__in=Project.objects.visible_to(request.user),
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    inline = document.content_type in IMAGES | {PDF}
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response
