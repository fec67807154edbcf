"""Files are never lost: outputs never replace an input or a non-regular file, keep the
mode of what they replace, and inputs are read with a bound, whatever kind of file they are.

Each test here failed before its fix (issue "Trust every answer", part 2).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.catalog import shipped_curriculum
from planner.cli import app
from planner.loading import MAX_FILE_BYTES
from planner.output import write_output

from helpers import ROOT

runner = CliRunner()
FAST = ["--time-limit", "10"]


def invoke(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def curriculum_copy(tmp_path: Path) -> Path:
    root = tmp_path / "cur"
    shutil.copytree(shipped_curriculum(), root)
    return root


# --- An output path that is an input is refused, before anything is written ----------------


@pytest.mark.parametrize("name", ["catalog.toml", "programs/msml-2021.toml"])
def test_output_onto_a_curriculum_file_is_refused(curriculum_copy: Path, name: str) -> None:
    target = curriculum_copy / name
    before = target.read_bytes()
    code, out, err = invoke("plan", "--curriculum", curriculum_copy, "--output", target, *FAST)
    assert code == 1, out + err
    assert "refusing to overwrite an input file" in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_bytes() == before


def test_output_onto_a_curriculum_file_through_a_symlink_is_refused(
    curriculum_copy: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(curriculum_copy / "catalog.toml")
    before = link.read_bytes()
    code, _, err = invoke("plan", "--curriculum", curriculum_copy, "--output", link, *FAST)
    assert code == 1 and "refusing to overwrite an input file" in err
    assert link.is_symlink() and link.read_bytes() == before


def test_batch_output_onto_a_scenario_or_the_catalog_is_refused(curriculum_copy: Path) -> None:
    scenario = curriculum_copy / "s.toml"
    scenario.write_text('start = "F26"\n')
    for target in (scenario, curriculum_copy / "catalog.toml"):
        before = target.read_bytes()
        code, _, err = invoke(
            "batch", scenario, "--curriculum", curriculum_copy, "--output", target, "--jobs", "1"
        )
        assert code == 1 and "refusing to overwrite an input file" in err
        assert target.read_bytes() == before


def test_audit_output_onto_its_plan_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert invoke("plan", "--format", "json", "--output", plan, *FAST)[0] == 0
    before = plan.read_bytes()
    code, _, err = invoke("audit", plan, "--output", plan)
    assert code == 1 and "refusing to overwrite an input file" in err
    assert plan.read_bytes() == before


# --- Non-regular files are written into, never replaced -------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_output_to_a_device_writes_into_it_and_keeps_it(tmp_path: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null
    code, _, err = invoke("plan", "--output", device, *FAST)
    assert code == 0, err
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    yield path


def test_output_to_a_fifo_with_a_reader_goes_through_it(fifo: Path) -> None:
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output("hello\n", fifo, [])
    reader.join(timeout=10)
    assert received == [b"hello\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_to_a_fifo_without_a_reader_is_an_error_not_a_hang(fifo: Path) -> None:
    code, _, err = invoke("plan", "--output", fifo, *FAST)
    assert code == 1 and "no process is reading" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# --- Modes: a replaced file keeps its own, a new file gets the umask's ----------------------


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("old\n")
    target.chmod(0o644)
    write_output("new\n", target, [])
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_umask_mode(tmp_path: Path, umask: int, mode: int) -> None:
    target = tmp_path / "new.txt"
    old = os.umask(umask)
    try:
        write_output("x\n", target, [])
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_output("\udc80 unencodable", target, [])
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]


# --- Inputs are read with a bound, whatever kind of file they are ---------------------------


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def test_an_endless_device_is_refused_at_the_limit() -> None:
    run = run_cli("plan", "/dev/zero")
    assert run.returncode == 1, run.stderr
    assert f"more than {MAX_FILE_BYTES:,} bytes" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_fifo_with_no_writer_is_read_as_empty_not_waited_on(fifo: Path) -> None:
    run = run_cli("plan", str(fifo), timeout=30)
    assert run.returncode == 1 and "file is empty" in run.stderr, run.stderr


def test_a_pipe_with_a_scenario_is_read() -> None:
    scenario = (ROOT / "scenarios" / "default.toml").read_text()
    run = subprocess.run(
        [
            "bash",
            "-c",
            f'{sys.executable} -m planner plan <(printf %s "$0") --format json',
            scenario,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert '"status": "optimal"' in run.stdout


# --- Names of open descriptors are written through, never resolved and replaced -----------


def test_output_to_dev_stdout_appends_where_the_shell_said(tmp_path: Path) -> None:
    """``--output /dev/stdout >> file`` keeps what the file held (it once resolved to the
    file and replaced it), and works when stdout is a pipe (it once failed)."""
    target = tmp_path / "log.txt"
    target.write_text("keep\n")
    run = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m planner plan --output /dev/stdout >> {target}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    text = target.read_text()
    assert text.startswith("keep\n") and "optimal plan" in text
    piped = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m planner plan --output /dev/stdout | cat"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert piped.returncode == 0, piped.stderr
    assert "optimal plan" in piped.stdout
