"""Child processes that end with the process that started them, whatever ends it.

A parent that is killed with SIGKILL runs no cleanup, so the kernel must do it:
on Linux, ``prctl(PR_SET_PDEATHSIG)`` sends the child a signal when its parent
dies. (The death of the *thread* that forked counts: start children from the
main thread.) Elsewhere the parent's own handlers (Ctrl-C, SIGTERM, SIGHUP) are
all there is.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(sig: signal.Signals = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess.Popen``: the child gets ``sig`` when we die."""
    if _libc is None:
        return None
    parent = os.getpid()
    libc = _libc

    def arrange() -> None:
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # we died between fork and prctl: nobody would tell
            os._exit(1)

    return arrange
