"""Internal notes on a đề án, written by the staff of its province."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import user_province_id

from ..models import Project, ProjectNote
from ..permissions import is_read_only
from .checks import validate_fields


@transaction.atomic
def project_note_add(*, actor, project: Project, text: str) -> ProjectNote:
    """An internal note on a đề án, by a member of staff of its province (the Ministry only reads, and
    never sees notes)."""
    if is_read_only(actor) or user_province_id(actor) != project.province_id:
        raise PermissionDenied(_("Chỉ cán bộ của tỉnh, thành phố có đề án mới ghi chú được."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Chưa nhập nội dung ghi chú."))
    note = ProjectNote(project=project, author=actor, text=text)
    validate_fields(note, "project", "author")
    note.save()
    return note
