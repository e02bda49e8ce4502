"""The loopback production settings of the load runs, with plain static files (no collectstatic: compressing
every file would take most of the fault checks' time budget)."""

from loadtest.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
