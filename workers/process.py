"""Worker processes: the one way every command, test and benchmark starts a worker.

A worker is a child process of its own (``lagebild worker``) that gets the parent's
settings through its environment (``Settings.to_env``), in its own process group so
that stopping it stops whatever it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from workers.lifetime import die_with_parent
from workers.settings import Settings


def spawn_worker(
    settings: Settings, log: Path | None = None, quiet: bool = True
) -> subprocess.Popen[bytes]:
    """A running `lagebild worker` with exactly these settings (its output to ``log``)."""
    out = log.open("ab") if log is not None else subprocess.DEVNULL if quiet else None
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "workers.cli.main", "worker"],
            env={**os.environ, **settings.to_env()},
            stdout=out,
            stderr=subprocess.STDOUT if log is not None else None,
            start_new_session=True,
            # a killed parent (kill -9 of `up`) takes it along; SIGKILL, as a clean stop would
            # wait for a broker that may have died with the parent, and at-least-once
            # processing loses nothing by it
            preexec_fn=die_with_parent(signal.SIGKILL),
        )
    finally:
        if log is not None and out is not None and not isinstance(out, int):
            out.close()  # the child has its own copy


def stop_process(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM to the process group, SIGKILL after ``timeout``."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
