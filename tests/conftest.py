import pytest
from django.core.management import call_command


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
