"""Documents of a đề án: checked by size and by content (not by the name the user gave), stored outside
the web root under MEDIA_ROOT and served only through the permission-checked download view."""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.vn_text import nfc

from ..models import ProjectDocument, ProjectTransition, WorkflowAction
from .tracking import _begin_record

# What the portal accepts, recognised by the first bytes of the file.
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx"}
IMAGES = {PNG, JPEG}


def sniff_content_type(head: bytes, whole: bytes | None = None) -> str | None:
    """The content type from the file's magic bytes (zip-based Office files by their inner parts)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            names = zipfile.ZipFile(io.BytesIO(whole)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    return None


@transaction.atomic
def document_upload(
    *,
    actor,
    project,
    file: UploadedFile,
    kind: str,
    title: str = "",
    transition: ProjectTransition | None = None,
) -> ProjectDocument:
    """Attach a PDF, Word, Excel or image file (photos: images only) of at most DOCUMENT_MAX_BYTES."""
    locked = _begin_record(actor, project, WorkflowAction.UPLOAD_DOCUMENT)
    limit = settings.DOCUMENT_MAX_BYTES
    if file.size is None or file.size == 0:
        raise ValidationError(_("Tệp rỗng."))
    if file.size > limit:
        raise ValidationError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"})
    file.seek(0)
    data = file.read()
    file.seek(0)
    content_type = sniff_content_type(data[:16], data)
    if content_type is None:
        raise ValidationError(_("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), PNG hoặc JPEG."))
    if kind == ProjectDocument.Kind.PHOTO and content_type not in IMAGES:
        raise ValidationError(_("Hình ảnh phải là tệp PNG hoặc JPEG."))
    if kind not in ProjectDocument.Kind.values:
        raise ValidationError(_("Loại tài liệu không hợp lệ."))
    if transition is not None and transition.project_id != locked.pk:
        raise ValidationError(_("Bước xử lý không thuộc đề án này."))
    original = nfc((file.name or "").replace("\\", "/").rsplit("/", 1)[-1])[:255] or "tai-lieu"
    document = ProjectDocument(
        project=locked,
        kind=kind,
        title=nfc(title)[:300],
        original_name=original,
        size=file.size,
        content_type=content_type,
        transition=transition,
        uploaded_by=actor,
    )
    # The stored extension follows the content, never the name the user typed.
    file.name = f"upload.{EXTENSIONS[content_type]}"
    document.file = file
    document.full_clean()
    document.save()
    return document
