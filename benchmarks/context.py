"""What every benchmark section shares: the dataset's year, the sample count, the users and the busiest
province (`Context`), and the ORM's own SQL replayed through a plain cursor (`replayed`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
YEAR = 2024  # the last whole year of the dataset: every status but drafts, money moved
SAMPLES = 30  # timings per page: a p95 from at least 30 samples


class Context:
    """What every section needs: the users, the busiest province, the plans read."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from places.models import AdministrativeUnit
        from projects.models import Project

        User = get_user_model()
        self.ministry = User.objects.get(username="syn-bo")
        self.admin = User.objects.get(username="syn-admin")
        busiest = (
            Project.objects.filter(plan__year=YEAR, code__startswith="syn-")
            .values("province")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        self.province = AdministrativeUnit.objects.get(pk=busiest["province"])
        self.province_projects = busiest["n"]
        self.leader = User.objects.filter(username=f"syn-lanhdao-{self.province.code}").first()
        self.plans: list[tuple[str, str, str]] = []  # (title, sql, plan)

    def client(self, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    def explain(self, title: str, sql: str) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
        except Exception as error:  # noqa: BLE001 — a plan we cannot read is reported, not fatal
            plan = f"(không đọc được kế hoạch: {error})"
        self.plans.append((title, sql, plan))

    def explain_slowest(self, title: str, fetch: Callable[[], object]) -> int:
        """Run `fetch` once capturing its queries; keep the plan of the slowest; return the query count."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            fetch()
        queries = captured.captured_queries
        if queries:
            slowest = max(queries, key=lambda q: float(q["time"]))
            if slowest["sql"].lstrip().upper().startswith("SELECT"):
                self.explain(title, slowest["sql"])
        return len(queries)


# ---------------------------------------------------------------------------------------------- sections


def replayed(fetch: Callable[[], object]) -> tuple[Callable[[], None], int]:
    """The ORM's own SQL for `fetch`, captured once, as a function that runs it through a plain cursor
    (execute and fetch every row, no model instances): the ORM's cost without Python's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch()
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def replay() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

    return replay, len(statements)


def _provinces_by_size():
    """(province, đề án in YEAR) for the smallest, the median and the busiest province."""
    from django.db.models import Count

    from places.models import AdministrativeUnit
    from projects.models import Project

    counts = list(
        Project.objects.filter(year=YEAR).values("province").annotate(n=Count("id")).order_by("n", "province")
    )
    picks = [("nhỏ nhất", counts[0]), ("trung vị", counts[len(counts) // 2]), ("đông nhất", counts[-1])]
    return [(label, AdministrativeUnit.objects.get(pk=c["province"]), c["n"]) for label, c in picks]


def _wait_for_database(seconds: int = 120) -> None:
    import time

    from django.db import connection

    connection.close()
    for _ in range(seconds):
        try:
            connection.ensure_connection()
            return
        except Exception:  # noqa: BLE001
            connection.close()
            time.sleep(1)
