"""File storage that leaves nothing half-written when the disk fills up.

Django's FileSystemStorage writes a file chunk by chunk; when the disk fills in the middle (ENOSPC, or a
quota: EDQUOT) the partial file stays behind under its final name. Here it is removed before the error goes
on, so the upload (or a job's result file) is either whole or absent, and the request's transaction, which
the error also ends, writes no row pointing at it.
"""

from __future__ import annotations

import errno
import os

from django.core.files.storage import FileSystemStorage

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_disk_full(exception: BaseException | None) -> bool:
    return isinstance(exception, OSError) and exception.errno in DISK_FULL


class WholeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if is_disk_full(exc) and not existed:
                try:
                    os.remove(path)
                except FileNotFoundError:
                    pass
            raise
