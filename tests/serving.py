"""A real `planner serve` for tests, and plain-HTTP helpers (the standard library only)."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/api/health")
            if status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server on port {port} did not come up")


def request(port: int, method: str, path: str, body: bytes | str | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    kind = response.getheader("Content-Type") or ""
    return response.status, json.loads(raw) if "json" in kind else raw.decode()


def post(port: int, path: str, data: Any) -> tuple[int, Any]:
    return request(port, "POST", path, json.dumps(data))


@contextlib.contextmanager
def serving() -> Iterator[int]:
    """`planner serve` in its own process on a free port of 127.0.0.1; yields the port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
