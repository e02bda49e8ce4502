from hypothesis import HealthCheck, settings

# No example database in the work tree; no per-example deadline (database examples vary with the machine).
# Database-backed tests share one function-scoped fixture across examples on purpose: each example rolls
# its own changes back.
settings.register_profile(
    "portal",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("portal")
