"""Wait for real workers to be ready: every one of them holds partitions at the same time."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request


def status(url: str) -> tuple[int, bytes]:
    """(HTTP status, body); 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def wait_ready(workers: list[tuple[subprocess.Popen[bytes], int]], timeout: float = 90.0) -> None:
    """Until each (process, web port) answers /readyz with 200 in one round: after the last
    one joined the group, the rebalance is over. Fails when one dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        for process, _ in workers:
            assert process.poll() is None, f"worker {process.pid} died ({process.returncode})"
        if all(status(f"http://127.0.0.1:{port}/readyz")[0] == 200 for _, port in workers):
            return
        assert time.monotonic() < deadline, "the workers did not become ready"
        time.sleep(0.3)
