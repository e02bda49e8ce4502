import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def loaded_places(django_db_setup, django_db_blocker):
    """The real administrative map, loaded once per test session (only for tests that ask for it)."""
    with django_db_blocker.unblock():
        call_command("load_places", verbosity=0)


@pytest.fixture
def reference_data(db):
    call_command("loaddata", "fixtures/reference/reference.json", verbosity=0)
