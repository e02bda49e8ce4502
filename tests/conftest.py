import os
import random

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, settings
from hypothesis.internal.conjecture import engine as _hypothesis_engine

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE (default "ci"; --hypothesis-profile also works).
# No example database in the work tree; database-backed tests share one function-scoped fixture across
# examples on purpose (each example rolls its own changes back).
_COMMON = {
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}
# CI: bounded everywhere, so a failure costs seconds, not the five minutes Hypothesis may spend shrinking.
# The deadline is per example: a database-backed walk of 35 steps took 14 s on a 2-core runner shared by
# many jobs, so the bound is a minute (an example past it is stuck, not slow).
settings.register_profile("ci", max_examples=25, deadline=60_000, **_COMMON)
# Local exploration: many more examples, no deadline, full shrinking.
settings.register_profile("dev", max_examples=200, deadline=None, **_COMMON)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(HYPOTHESIS_PROFILE)
# Hypothesis has no setting for how long it shrinks (five minutes and 500 shrinks are its own limits):
# under the CI profile its engine's two limits are lowered; if a later release renames them, shrinking is
# left out instead, so the bound holds either way.
SHRINK_LIMITS = {"MAX_SHRINKING_SECONDS": 30, "MAX_SHRINKS": 100}
if HYPOTHESIS_PROFILE == "ci":
    if all(hasattr(_hypothesis_engine, name) for name in SHRINK_LIMITS):
        for name, value in SHRINK_LIMITS.items():
            setattr(_hypothesis_engine, name, value)
    else:  # pragma: no cover - depends on the Hypothesis release
        settings.register_profile(
            "ci", parent=settings.get_profile("ci"), phases=[p for p in Phase if p != Phase.shrink]
        )
        settings.load_profile("ci")

# One seed for the whole run, printed in the header and again after a failure: HYPOTHESIS_SEED=<seed>
# replays the run's examples (set here before test workers start, so every worker uses the same seed).
os.environ.setdefault("HYPOTHESIS_SEED", str(random.SystemRandom().randrange(2**32)))


def pytest_configure(config):
    from hypothesis import core

    if config.getoption("hypothesis_seed", None) is None:
        core.global_force_seed = int(os.environ["HYPOTHESIS_SEED"])


def pytest_report_header(config):
    return f"hypothesis: profile {HYPOTHESIS_PROFILE!r}, seed {os.environ['HYPOTHESIS_SEED']}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if exitstatus:
        seed = config.getoption("hypothesis_seed", None) or os.environ["HYPOTHESIS_SEED"]
        terminalreporter.write_line(
            f"Hypothesis seed {seed}: replay with HYPOTHESIS_SEED={seed} make test-only "
            "(or the @reproduce_failure line printed with the failure)."
        )


@pytest.fixture(scope="module")
def loaded_places(django_db_setup, django_db_blocker):
    """The real administrative map, loaded outside any test transaction so it persists across tests.

    Module-scoped so it is set up before each test's transaction begins; it reloads only when a
    transactional test (a live-server browser test, say) has flushed the database since.
    """
    from places.models import AdministrativeUnit

    with django_db_blocker.unblock():
        if not AdministrativeUnit.objects.filter(era="new", level=1).exists():
            call_command("load_places", verbosity=0)


@pytest.fixture
def reference_data(db):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """Call it once the test's data is written: from then on, threads write to one database at the same
    time, as the requests of two users do.

    On PostgreSQL the test database itself. On SQLite the tests' in-memory database (one connection's
    shared cache, where locks do not behave like a file's) is copied, with what the test committed so far,
    into a file that threads started from then on open with the portal's own options (immediate
    transactions, busy timeout). Read results back in a thread too (`in_thread`)."""
    from django.db import connection, connections

    settings_dict = connections.settings[connection.alias]
    saved = settings_dict["NAME"]

    def share():
        if connection.vendor != "sqlite":
            return None
        import sqlite3

        path = tmp_path / "portal.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        settings_dict["NAME"] = str(path)
        return path

    try:
        yield share
    finally:
        settings_dict["NAME"] = saved


def in_thread(function, *args):
    """Run `function` in a new thread (with its own database connection) and return what it returns."""
    import threading

    from django.db import connections

    result: dict = {}

    def run():
        try:
            result["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the calling thread
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """Each test starts with an empty cache of public pages: the data version row is rolled back with the
    test's transaction, so a page stored by an earlier test could otherwise answer under the same number."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PUBLIC_CACHE].clear()
    yield


# Rows the migrations write (the step roles, the national appraisal rule and procedure deadlines). A
# transactional test ends by flushing every table, which takes them too; they are written again after it,
# so a later test on the same worker meets the database every migrated database has, whatever the order.
_MIGRATION_DATA = (
    ("projects.migrations.0003_national_step_roles", "load"),
    ("projects.migrations.0006_decline_adjustment", "national_step"),
    ("projects.migrations.0007_appraisal_rule", "load_national"),
    ("projects.migrations.0010_national_procedure", "load"),
)


def _flushes_database(item) -> bool:
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # every fixture of the test is torn down: a transactional test's flush is done
    # After the last test the test database itself is gone (nothing follows to need the rows).
    if nextitem is None or not _flushes_database(item):
        return
    import importlib

    from django.apps import apps
    from django.db import connection, transaction
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
        if apps.get_model("projects", "WorkflowStepRole").objects.exists():
            return  # not flushed (the test was skipped, or kept its data): nothing to write again
        # On empty tables each loader writes what it wrote in its migration, in the migrations' order.
        for module, function in _MIGRATION_DATA:
            getattr(importlib.import_module(module), function)(apps, connection.schema_editor)
