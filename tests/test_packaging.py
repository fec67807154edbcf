"""A wheel carries everything the planner needs: run from another folder, it plans.

Regression: a non-editable install once looked for ``curriculum/`` next to
site-packages and failed with "no such file" (issue "Trust every answer", part 1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("planner-*.whl")
    return built


def test_wheel_contains_the_curriculum(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "planner").rglob("*.toml"))
    assert shipped, "no curriculum files in the source tree"
    assert set(shipped) <= names


def test_installed_wheel_plans_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a pure-Python wheel installs by unpacking
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-m", "planner", "plan", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["status"] == "optimal"
    where = subprocess.run(
        [sys.executable, "-c", "import planner.catalog as c; print(c.shipped_curriculum())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(site)


def test_no_shipped_file_names_a_path_of_this_machine() -> None:
    """Sources cite shared/... and repositories, never an absolute local path (a helper's
    note once cited the shared folder by its absolute path in 25 catalog entries)."""
    texts = [*(ROOT / "planner").rglob("*.toml"), *(ROOT / "docs").rglob("*.md")]
    texts.append(ROOT / "README.md")
    local = ("/work/", "/home/", "/root/", "/Users/", "C:\\")
    found = [
        f"{p.relative_to(ROOT)}: {needle}"
        for p in texts
        for needle in local
        if needle in p.read_text(encoding="utf-8")
    ]
    assert texts and not found, found
