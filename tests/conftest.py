"""Shared fixtures: one embedded broker per test session, isolated topics per test."""

from __future__ import annotations

import asyncio
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import jsonschema
import pytest

from workers.broker import EmbeddedBroker, free_port
from workers.provision import ensure_topics
from workers.records import WIRE_RECORDS
from workers.schemas import schema_path
from workers.settings import BrokerSettings, Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a clean skip when that folder is not here."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared data not available: {path}")
    return path


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(name: str, record: dict) -> None:
    """Validate a wire record against its JSON Schema file in schemas/."""
    assert name in WIRE_RECORDS
    validator(name).validate(record)


@pytest.fixture(scope="session")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(BrokerSettings(port=free_port())) as running:
        yield running


@pytest.fixture
def kafka_settings(broker: EmbeddedBroker) -> Settings:
    """Settings on the session's broker with a topic prefix and app id of this test's own."""
    run = uuid.uuid4().hex[:8]
    settings = Settings().with_embedded_broker(broker.bootstrap)
    settings.kafka.topic_prefix = f"t{run}."
    settings.kafka.partitions = 2
    settings.worker.app_id = f"lagebild-test-{run}"
    settings.worker.web_port = free_port()
    settings.http.allow_private_addresses = True  # feeds and pages come from 127.0.0.1
    return settings


def settings_env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """The environment that gives a child process the same settings."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers or "",
        "LAGEBILD_PROFILE": settings.profile,
        "LAGEBILD_KAFKA__TOPIC_PREFIX": settings.kafka.topic_prefix,
        "LAGEBILD_KAFKA__PARTITIONS": str(settings.kafka.partitions),
        "LAGEBILD_WORKER__APP_ID": settings.worker.app_id,
        "LAGEBILD_WORKER__WEB_PORT": str(settings.worker.web_port),
        "LAGEBILD_WORKER__DATA_DIR": str(tmp_path / "worker-data"),
        "LAGEBILD_HTTP__ALLOW_PRIVATE_ADDRESSES": "true",
    }


@pytest.fixture
def start_worker(
    kafka_settings: Settings, tmp_path: Path
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts real `lagebild worker` processes on the test's (provisioned) topics on demand."""
    asyncio.run(ensure_topics(kafka_settings))
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker{len(processes)}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "workers.cli.main", "worker"],
                env=settings_env(kafka_settings, tmp_path),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        return processes[-1]

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def worker(start_worker: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """One running worker (its log: worker0.log in the test's tmp_path)."""
    return start_worker()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A local HTTP server over a fresh directory: (directory, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
