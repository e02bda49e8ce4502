"""Build the Ministry's đề án list Excel (every province) in a fresh process; print time and peak memory as JSON.

`python -m benchmarks.national_list <year|all> streamed|in-request`: "streamed" is what the background job
runs (rows a chunk at a time into a write-only sheet saved to a file), "in-request" the old way (the whole
list read, then the workbook built in memory). The peak resident memory (ru_maxrss) is the whole process's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time


def main() -> None:
    which, how = sys.argv[1], sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.dev")
    import django

    django.setup()
    from projects.models import Project
    from reports import exports

    projects = Project.objects.all() if which == "all" else Project.objects.filter(year=int(which))
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "danh-sach.xlsx")
        if how == "streamed":
            exports.project_list_to_file(projects=projects, description="toàn quốc", path=path)
        else:
            result = exports.project_list(projects=projects, description="toàn quốc", fmt="xlsx")
            with open(path, "wb") as handle:
                handle.write(result.content)
        size = os.path.getsize(path)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": projects.count(),
                "seconds": elapsed,
                "peak_mb": peak_kb / 1024,
                "baseline_mb": baseline_kb / 1024,
                "file_mb": size / 2**20,
            }
        )
    )


if __name__ == "__main__":
    main()
