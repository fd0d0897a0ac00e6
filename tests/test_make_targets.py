"""`make install` installs and starts nothing; `make run PORT=...` starts the app on that port; the README's
first commands say both (make -n prints the recipes without running them)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(*args: str) -> list[str]:
    done = subprocess.run(["make", "-n", "-B", "--no-print-directory", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True, timeout=30)
    return done.stdout.splitlines()


def test_install_only_installs() -> None:
    recipe = _dry_run("install")
    assert any("pip install -q -r requirements.txt" in line for line in recipe)
    assert not any("streamlit" in line or "requirements-dev" in line for line in recipe)


def test_run_takes_a_port() -> None:
    assert _dry_run("run", "PORT=8765")[-1].endswith("-m streamlit run app.py --server.port 8765")
    assert _dry_run("run")[-1].endswith("--server.port 8501")


def test_the_readme_starts_with_both() -> None:
    top = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split("```")[1]
    assert "make run PORT=" in top and "make install " in top
