# The Hypothesis profiles (CI and dev) are registered and loaded in tests/conftest.py.
