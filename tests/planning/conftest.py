from tests.projects.conftest import world  # noqa: F401  (the two-province world of the lifecycle tests)
