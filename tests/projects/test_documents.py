"""Documents: recognised by content, limited in size, stored outside static, served only to who may see."""

import io
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from accounts.roles import Role
from projects.document_views import document_download
from projects.models import ProjectDocument, ProjectStatus
from projects.services import document_upload

from .conftest import project_in

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # A fixed date: parameters built at collection must be the same bytes in every test worker.
        for name, text in (("[Content_Types].xml", "<Types/>"), (f"{part}/document.xml", "<x/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(world, project, name, data, kind="decision", role=Role.OFFICER):
    return document_upload(
        actor=world.user(role),
        project=project,
        file=SimpleUploadedFile(name, data),
        kind=kind,
        title="QĐ phê duyệt",
    )


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("quyet-dinh.pdf", PDF_BYTES, "application/pdf"),
        ("anh.png", PNG_BYTES, "image/png"),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (
            "hop-dong.docx",
            office_file("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "du-toan.xlsx",
            office_file("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content_and_stored_outside_static(
    world, media, name, data, expected
):
    project = project_in(world.own.plan, ProjectStatus.APPROVED)
    document = upload(world, project, name, data)
    assert document.content_type == expected and document.size == len(data)
    assert document.original_name == name
    path = document.file.path
    assert path.startswith(str(media)) and name not in path


@pytest.mark.parametrize(
    ("name", "data"),
    [("gia-mao.pdf", b"<script>alert(1)</script>"), ("nen.zip", office_file("other")), ("trong.pdf", b"")],
)
def test_other_content_is_refused_whatever_its_name(world, name, data):
    project = project_in(world.own.plan, ProjectStatus.APPROVED)
    with pytest.raises(ValidationError):
        upload(world, project, name, data)
    assert not ProjectDocument.objects.exists()


def test_a_photo_must_be_an_image_and_files_have_a_size_limit(world, settings):
    project = project_in(world.own.plan, ProjectStatus.APPROVED)
    with pytest.raises(ValidationError, match="PNG hoặc JPEG"):
        upload(world, project, "anh.pdf", PDF_BYTES, kind="photo")
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="quá lớn"):
        upload(world, project, "qd.pdf", PDF_BYTES)


def test_upload_on_another_provinces_project_is_refused(world):
    project = project_in(world.other.plan, ProjectStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        upload(world, project, "qd.pdf", PDF_BYTES)


def download(user, document):
    request = RequestFactory().get(f"/tai-lieu/{document.pk}/")
    request.user = user
    return document_download(request, pk=document.pk)


def test_download_serves_own_province_and_ministry_and_answers_404_to_others(world):
    document = upload(
        world, project_in(world.own.plan, ProjectStatus.APPROVED), "Quyết định số 1.pdf", PDF_BYTES
    )
    response = download(world.user(Role.CENTRE), document)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert download(world.ministry, document).status_code == 200
    with pytest.raises(Http404):
        download(world.user(Role.OFFICER, "other"), document)


def test_download_asks_an_anonymous_visitor_to_log_in(world):
    document = upload(world, project_in(world.own.plan, ProjectStatus.APPROVED), "qd.pdf", PDF_BYTES)
    response = download(AnonymousUser(), document)
    assert response.status_code == 302
