"""The import contracts of pyproject.toml ([tool.importlinter], docs/architecture.md) hold, and they would
catch a domain app reaching up: the same check on a copy of the tree with one deliberate violation fails."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def test_the_tree_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _tree_with(tmp_path: Path, package: str, module: str, source: str) -> Path:
    for name in PACKAGES:
        if name == package:
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / package / f"{module}.py").write_text(source)
    return tmp_path


def test_a_foundation_app_importing_a_domain_app_breaks_the_contracts(tmp_path):
    result = lint(_tree_with(tmp_path, "places", "violation", "from projects.models import Project\n"))
    assert result.returncode == 1
    assert "places.violation -> projects.models" in result.stdout
    assert "places and accounts import no other domain app BROKEN" in result.stdout


def test_the_core_importing_an_app_breaks_the_contracts(tmp_path):
    result = lint(_tree_with(tmp_path, "khuyencong", "violation", "import reports.views\n"))
    assert result.returncode == 1
    assert "The core package imports no app BROKEN" in result.stdout


def test_a_domain_model_reaching_the_reports_breaks_the_contracts(tmp_path):
    result = lint(_tree_with(tmp_path, "projects", "violation", "from reports import selectors\n"))
    assert result.returncode == 1
    assert "projects.violation -> reports.selectors" in result.stdout
