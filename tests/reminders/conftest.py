"""The projects tests' world (two provinces, every role) and advance rules, for the reminder tests."""

from tests.projects.conftest import advance_rules, world  # noqa: F401
