"""The benchmark database is set up exactly as the deploy guide tells operators: both read one file."""

from pathlib import Path

from benchmarks.ensure_db import SETTINGS_FILE, deploy_settings


def test_bench_applies_every_setting_of_the_file_the_deploy_guide_runs():
    settings = dict(deploy_settings())
    assert settings == {
        "jit": "off",
        "random_page_cost": "1.1",
        "effective_cache_size": "12GB",
        "work_mem": "32MB",
    }
    statements = [
        line for line in SETTINGS_FILE.read_text().splitlines() if line.startswith("ALTER DATABASE")
    ]
    assert len(statements) == len(settings)  # no line the benchmark would silently skip
    guide = Path("docs/deploy.md").read_text(encoding="utf-8")
    assert "psql -v db=khuyencong -f docs/postgresql-settings.sql" in guide
