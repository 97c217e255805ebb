"""Shared fixtures: one embedded broker per test session, isolated topics per test."""

from __future__ import annotations

import asyncio
import functools
import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

from workers.broker import EmbeddedBroker, free_port
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.records import WIRE_RECORDS
from workers.schemas import schema_path
from workers.settings import BrokerSettings, Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def load_script(name: str) -> ModuleType:
    """A build script of scripts/ as a module, for the tests of what it makes."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (a dataclass looks its module up)
    spec.loader.exec_module(module)
    return module


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow fault tests first: started last, one of them would run alone at the end
    while the other process idles (the suite runs with ``--dist worksteal``)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
    return (
        Settings()
        .with_embedded_broker(broker.bootstrap)
        .replace(
            kafka={"topic_prefix": f"t{run}.", "partitions": 2},
            worker={"app_id": f"lagebild-test-{run}", "web_port": free_port()},
            http={"allow_private_addresses": True},  # feeds and pages come from 127.0.0.1
        )
    )


def settings_env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """The environment that gives a child process the same settings."""
    worker = {"data_dir": str(tmp_path / "worker-data")}
    return {**os.environ, **settings.replace(worker=worker).to_env()}


@pytest.fixture
def start_worker(
    kafka_settings: Settings, tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Starts real `lagebild worker` processes on the test's (provisioned) topics on demand;
    ``start(**changes)`` passes changed settings (``Settings.replace``) on."""
    asyncio.run(ensure_topics(kafka_settings))
    processes: list[subprocess.Popen[bytes]] = []

    def start(**changes: Any) -> subprocess.Popen[bytes]:
        n = len(processes)
        worker = {"data_dir": str(tmp_path / f"worker{n}-data"), "web_port": free_port()}
        settings = kafka_settings.replace(
            **{**changes, "worker": worker | changes.get("worker", {})}
        )
        processes.append(spawn_worker(settings, log=tmp_path / f"worker{n}.log"))
        return processes[-1]

    yield start
    for process in processes:
        stop_process(process, timeout=20)


@pytest.fixture
def worker(start_worker: Callable[..., subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
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
