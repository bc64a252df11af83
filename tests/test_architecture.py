"""The layering holds: import-linter checks the contracts in pyproject.toml.

Run by hand with `.venv/bin/lint-imports` in the project folder; its report names each import
that breaks a contract, and each `ignore_imports` line that no longer matches one.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine_independent

PROJECT = Path(__file__).resolve().parents[1]


def test_modules_import_only_the_layers_below_them():
    # No cache: CI runs the suite twice at once, and the checkout stays clean.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--no-cache", "--no-logo", "pyproject.toml"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"lint-imports found imports that break a contract:\n{done.stdout}"
                    f"{done.stderr}", pytrace=False)
