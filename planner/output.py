"""Writing results to a file without ever losing one.

- An output path that names an input of the same command (a scenario, a plan, a baseline,
  the catalog or a program file) is refused, however it is spelled (symlinks included).
- A regular file is replaced atomically (a temporary file beside it, then a rename), and
  keeps its mode; a new file gets the mode the umask gives, as ``>`` in a shell would.
- Anything else is never replaced: a character device or a FIFO is written into (a FIFO
  only when a process is reading it, so the command never hangs), other kinds are refused.
- The name of a descriptor already open (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``,
  ``/proc/self/fd/N``) is written through that descriptor, as the shell set it up
  (``>> file`` appends, ``| cat`` pipes): never resolved to a file and replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from planner.errors import PlannerError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(output: Path | None, inputs: Iterable[Path]) -> None:
    """Refuse `output` early when it is one of `inputs` or a directory."""
    if output is None:
        return
    if any(_same_file(output, p) for p in inputs):
        raise PlannerError("refusing to overwrite an input file", file=output, place="--output")
    if output.is_dir():
        raise PlannerError("is a directory", file=output, place="--output")


_OPEN = re.compile(r"/dev/(?:stdout|stderr|fd/(\d+))|/proc/self/fd/(\d+)")


def _open_descriptor(output: Path) -> int | None:
    """The descriptor `output` names, if it names one already open; else None."""
    match = _OPEN.fullmatch(str(output))
    if match is None:
        return None
    if str(output) == "/dev/stdout":
        return 1
    if str(output) == "/dev/stderr":
        return 2
    return int(match.group(1) or match.group(2))


def write_output(text: str, output: Path | None, inputs: Iterable[Path]) -> None:
    """Print `text`, or write it to `output` as the module docstring says."""
    if output is None:
        sys.stdout.write(text)
        return
    check_output(output, inputs)
    data = text.encode("utf-8")
    descriptor = _open_descriptor(output)
    if descriptor is not None:
        if descriptor == 1:
            sys.stdout.flush()
        try:
            _write_all(descriptor, data)
        except OSError as exc:
            raise PlannerError(f"cannot write: {exc.strerror or exc}", file=output) from None
        return
    target = output.resolve()  # a symlink's target is written, the link kept
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise PlannerError(f"cannot write: {exc.strerror or exc}", file=output) from None
    try:
        if mode is None or stat.S_ISREG(mode):
            _replace(target, data, mode)
        elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            _write_into(target, data, fifo=stat.S_ISFIFO(mode))
        else:
            raise PlannerError(
                "is not a regular file, a character device or a FIFO; refusing to replace it",
                file=output,
                place="--output",
            )
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise PlannerError(
                "no process is reading this FIFO", file=output, place="--output"
            ) from None
        raise PlannerError(f"cannot write: {exc.strerror or exc}", file=output) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    """Write a temporary file beside `target` and rename it over `target` (atomic)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        if mode is not None:
            _keep_owner(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep_owner(tmp: str, target: Path) -> None:
    """Give the new file the old one's owner where we may (as root); else leave it."""
    old = target.stat()
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(PermissionError):
            os.chown(tmp, old.st_uid, old.st_gid)


def _write_into(target: Path, data: bytes, *, fifo: bool) -> None:
    """Write into a device or FIFO in place. A FIFO is opened without blocking, so that
    with no reader the open fails (ENXIO) instead of waiting for one forever."""
    flags = os.O_WRONLY | (os.O_NONBLOCK if fifo else 0)
    fd = os.open(target, flags)
    try:
        if fifo:  # a reader is there: write normally from now on
            import fcntl  # FIFOs exist only where fcntl does

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
