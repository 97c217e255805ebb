"""`lagebild up`: the new user's first command, on the embedded broker and on a given cluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import settings_env
from tests.kafka_reader import latest, read_topics
from workers.settings import Settings

UP = [sys.executable, "-m", "workers.cli.main", "up"]


def children(pid: int) -> dict[int, str]:
    """Every descendant process of ``pid`` with its command line."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            )
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found[child] = commands.get(child, "")
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def embedded_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LAGEBILD_") and k != "KAFKA_BOOTSTRAP_SERVERS"
    }
    return env | {"HOME": str(tmp_path), "COLUMNS": "120", "TMPDIR": str(tmp_path)}


def up_once(env: dict[str, str], cwd: Path) -> tuple[int, str, dict[int, str]]:
    """Run `lagebild up --once`: exit code, output, and every process it started."""
    log = cwd / "up.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*UP, "--once"], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
        seen: dict[int, str] = {}
        while proc.poll() is None:
            # a zombie's command line reads empty: keep what the live process showed
            seen |= {pid: c for pid, c in children(proc.pid).items() if c or pid not in seen}
            time.sleep(0.2)
    return proc.returncode, log.read_text(), seen


def test_up_once_drains_the_sample_feed_and_leaves_nothing_behind(tmp_path: Path) -> None:
    returncode, out, seen = up_once(embedded_env(tmp_path), tmp_path)
    assert returncode == 0, out
    assert "embedded broker on 127.0.0.1:" in out
    assert "20 items published" in out
    assert "enriched: 17" in out
    assert "duplicates: 2 (near 1, text 1)" in out
    assert "clean:language:en: 1" in out
    assert "Kursk" in out and "Desertion" in out  # the live view showed topics
    assert any("tansu" in c for c in seen.values()), seen
    assert any("worker" in c for c in seen.values()), seen
    time.sleep(0.5)
    assert not [pid for pid in seen if alive(pid)], "orphan processes after `up --once`"


def test_ctrl_c_stops_everything(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        UP,
        env=embedded_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if line.startswith("✔"):
            break
    assert any(line.startswith("✔") for line in lines), "".join(lines)
    seen = children(proc.pid)
    assert any("tansu" in c for c in seen.values())
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    time.sleep(0.5)
    assert not [pid for pid in seen if alive(pid)], "orphan processes after Ctrl-C"


def test_up_uses_a_configured_cluster_and_starts_no_broker(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    env = settings_env(kafka_settings, tmp_path) | {"TMPDIR": str(tmp_path)}  # its logs
    returncode, out, seen = up_once(env, tmp_path)
    assert returncode == 0, out
    assert "using Kafka at" in out
    assert not any("tansu" in c for c in seen.values())
    topic = kafka_settings.topic("news.enriched")
    duplicates = kafka_settings.topic("news.duplicates")
    records = read_topics(
        kafka_settings.kafka.bootstrap_servers,
        [topic, duplicates],
        until=lambda r: len(r[topic]) >= 17 and len(r[duplicates]) >= 2,
        timeout=30,
        settle=1.0,
    )
    # the records stay on the cluster for others (a copy decided before its original has
    # an enriched record that a duplicate of the next version supersedes)
    assert sum(name == topic for name, _ in latest(records).values()) == 17

    # subscribers follow the sink: by entity (id or name) and by news topic
    sub = [
        sys.executable,
        "-m",
        "workers.cli.main",
        "subscribe",
        "--from-beginning",
        "--timeout",
        "5",
    ]
    by_id = subprocess.run(
        [*sub, "--entity", "Q7747", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    putin = [json.loads(line) for line in by_id.stdout.splitlines()]
    assert putin and all(any(e["id"] == "Q7747" for e in r["entities"]) for r in putin)
    by_name = subprocess.run(
        [*sub, "--entity", "wladimir putin", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(by_name.stdout.splitlines()) == len(putin)
    kursk = subprocess.run(
        [*sub, "--topic", "kursk", "--max", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert kursk.returncode == 0
    assert kursk.stdout.count("✔") == 2 and "Kursk" in kursk.stdout


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_any_end_of_up_takes_broker_and_worker_along(tmp_path: Path, stop: signal.Signals) -> None:
    """`kill` (a supervisor), a closed terminal (SIGHUP) or kill -9: no broker or worker left."""
    log_path = tmp_path / "up.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        UP, env=embedded_env(tmp_path), cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 90
    seen: dict[int, str] = {}
    # running for real: the worker has enriched the first item
    while time.monotonic() < deadline and "✔" not in log_path.read_text():
        seen |= {pid: c for pid, c in children(proc.pid).items() if c or pid not in seen}
        time.sleep(0.2)
    seen |= {pid: c for pid, c in children(proc.pid).items() if c or pid not in seen}
    assert "✔" in log_path.read_text(), log_path.read_text()
    assert any("tansu" in c for c in seen.values()) and any("worker" in c for c in seen.values())
    proc.send_signal(stop)
    proc.wait(timeout=60)
    log.close()
    gone_by = time.monotonic() + 30
    while [pid for pid in seen if alive(pid)] and time.monotonic() < gone_by:
        time.sleep(0.2)
    left = {pid: seen[pid] for pid in seen if alive(pid)}
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"orphan processes after {stop.name}: {left}"
