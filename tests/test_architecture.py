"""The apps' layers (plans at the core, risks on it, dashboard on top) are enforced by import-linter.

These run lint-imports on a copy of the code, once as it is and once with a wrong import added,
to show that the contract in pyproject.toml catches what it is meant to.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("plans", "risks", "dashboard", "sipportal")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def copy_of_the_code(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(project):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def add_import(module, line):
    module.write_text(f"{line}\n" + module.read_text())


def test_the_code_keeps_its_layers(copy_of_the_code):
    linted = lint_imports(copy_of_the_code)

    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "Contracts: 2 kept, 0 broken." in linted.stdout


def test_the_core_importing_an_app_built_on_it_is_caught(copy_of_the_code):
    add_import(copy_of_the_code / "plans" / "selectors.py", "from dashboard.models import QualityMeasure  # noqa")

    linted = lint_imports(copy_of_the_code)

    assert linted.returncode == 1
    assert "plans.selectors -> dashboard.models" in linted.stdout
    assert "Apps form layers: dashboard > risks > plans BROKEN" in linted.stdout


def test_risks_importing_the_dashboard_is_caught(copy_of_the_code):
    add_import(copy_of_the_code / "risks" / "selectors.py", "import dashboard.selectors  # noqa")

    linted = lint_imports(copy_of_the_code)

    assert linted.returncode == 1
    assert "risks.selectors -> dashboard.selectors" in linted.stdout


def test_a_shared_helper_importing_an_app_is_caught(copy_of_the_code):
    add_import(copy_of_the_code / "sipportal" / "views.py", "from plans import periods  # noqa")

    linted = lint_imports(copy_of_the_code)

    assert linted.returncode == 1
    assert "sipportal.views -> plans.periods" in linted.stdout
    assert "Only sipportal.urls imports the apps BROKEN" in linted.stdout
