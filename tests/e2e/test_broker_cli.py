"""`lagebild broker`: prints its address, serves Kafka protocol, and takes its broker along."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from confluent_kafka.admin import AdminClient

from tests.e2e.test_up import alive, children


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_broker_runs_in_the_foreground_and_stops_cleanly(stop: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "workers.cli.main", "broker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:")
    bootstrap = line.split("=", 1)[1]
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10)
    assert metadata.brokers  # it speaks Kafka protocol
    spawned = children(proc.pid)
    assert any("tansu" in c for c in spawned.values())
    proc.send_signal(stop)
    assert proc.wait(timeout=20) == (-signal.SIGKILL if stop == signal.SIGKILL else 0)
    deadline = time.monotonic() + 10
    while [pid for pid in spawned if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in spawned if alive(pid)], "the broker outlived `lagebild broker`"
