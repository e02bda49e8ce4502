"""A disk that fills up in the middle of an upload: the Vietnamese page, no half-written file, no row."""

from __future__ import annotations

import errno

import pytest
from django.core.files.base import File
from django.test import RequestFactory

from khuyencong.middleware import DiskFullMiddleware
from khuyencong.storage import WholeFileSystemStorage
from tests.spreadsheets.conftest import can_tho, can_tho_officer, make_xlsx  # noqa: F401 - fixtures


class FillsTheDisk(File):
    """Content whose second chunk meets a full disk (what os.write raises on a full file system)."""

    def __init__(self):
        super().__init__(None, name="bao-cao.xlsx")
        self.size = 3 * 64 * 1024

    def chunks(self, chunk_size=None):
        yield b"x" * 64 * 1024
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self):
        pass


def test_a_file_cut_short_by_a_full_disk_is_removed(tmp_path):
    storage = WholeFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError) as caught:
        storage.save("imports/bao-cao.xlsx", FillsTheDisk())
    assert caught.value.errno == errno.ENOSPC
    assert list(tmp_path.rglob("*.xlsx")) == []


def test_other_errors_and_whole_files_are_left_as_django_leaves_them(tmp_path):
    storage = WholeFileSystemStorage(location=tmp_path)
    name = storage.save("a.txt", File(open(__file__, "rb")))  # noqa: SIM115 - closed by the storage
    assert (tmp_path / name).read_bytes() == open(__file__, "rb").read()  # noqa: SIM115


def test_the_middleware_answers_a_full_disk_with_the_vietnamese_page():
    request = RequestFactory().post("/nhap-lieu/")
    response = DiskFullMiddleware(lambda r: None).process_exception(
        request, OSError(errno.ENOSPC, "No space left on device")
    )
    assert response.status_code == 507
    text = response.content.decode()
    assert "Máy chủ hết chỗ lưu trữ" in text and "Traceback" not in text


def test_other_os_errors_are_not_called_a_full_disk():
    request = RequestFactory().get("/")
    assert DiskFullMiddleware(lambda r: None).process_exception(request, OSError(errno.EACCES, "no")) is None


@pytest.mark.django_db
def test_an_upload_on_a_full_disk_shows_the_page_and_writes_no_row(
    client,
    settings,
    tmp_path,
    monkeypatch,
    reference_data,
    can_tho_officer,  # noqa: F811 - the fixture
):
    """The real upload page: the disk fills while the workbook is stored; no import row, no file."""
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from jobs.models import Job
    from spreadsheets.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BACKGROUND_BYTES = 0  # the workbook is kept on disk for the worker
    real_fdopen = os.fdopen

    class FullDisk:
        """The open file of the storage: the first bytes land, then the disk is full."""

        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(data[:10])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.handle.close()

    monkeypatch.setattr(
        "django.core.files.storage.filesystem.os.fdopen",
        lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)),
    )
    client.force_login(can_tho_officer)
    data = make_xlsx(
        ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Số lao động"],
        [["Hộ A", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", "3"]],
    )
    upload = SimpleUploadedFile("co-so.xlsx", data, content_type="application/octet-stream")
    response = client.post(reverse("spreadsheets:index"), {"kind": "beneficiaries", "file": upload})
    assert response.status_code == 507
    assert "Máy chủ hết chỗ lưu trữ" in response.content.decode()
    assert ImportJob.objects.count() == 0 and Job.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
