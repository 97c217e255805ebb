"""A new user's mistakes: one line that says what to do, no traceback, a non-zero exit, fast."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workers.broker import free_port

LAGEBILD = [sys.executable, "-m", "workers.cli.main"]


def files(tmp: Path) -> dict[str, str]:
    (tmp / "bad.toml").write_text("[[publisher\nname =", encoding="utf-8")
    (tmp / "nofeeds.toml").write_text('[[publisher]]\nname = "x"\n', encoding="utf-8")
    (tmp / "items.jsonl").write_text('{"title": "t", "text": "x"}\n', encoding="utf-8")
    return {"dir": str(tmp), "items": str(tmp / "items.jsonl")}


# (arguments, words the one line must contain)
CASES = [
    (["enrich", "missing.jsonl"], "no such file: missing.jsonl"),
    (["enrich", "{dir}"], "is a directory"),
    (["poll", "--feeds", "missing.toml"], "no such file: missing.toml"),
    (["poll", "--feeds", "bad.toml"], "bad.toml: not valid TOML"),
    (["poll", "--feeds", "nofeeds.toml"], "publisher #1 has no 'feeds'"),
    (["backfill", "missing.jsonl"], "no such file: missing.jsonl"),
    (["subscribe", "--topic", "rejected"], "known topics: desertion"),
    (["subscribe", "--topic", "nonsense"], "unknown topic 'nonsense'"),
    (["eval"], "nothing to evaluate"),
    # KAFKA_BOOTSTRAP_SERVERS points at nothing
    (["topics"], "cannot reach Kafka"),
    (["poll", "--once"], "cannot reach Kafka"),
    (["worker"], "cannot reach Kafka"),
    (["subscribe"], "cannot reach Kafka"),
    (["backfill", "{items}"], "cannot reach Kafka"),
    (["replay"], "cannot reach Kafka"),
    (["audit"], "cannot reach Kafka"),
    (["up", "--once"], "cannot reach Kafka"),
]


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_bad_command_says_what_is_wrong_in_one_line(
    argv: list[str], expected: str, tmp_path: Path
) -> None:
    paths = files(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGEBILD_")}
    env |= {
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",  # nothing listens there
        "LAGEBILD_WORKER__WEB_PORT": str(free_port()),
        "LAGEBILD_WORKER__DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
    }
    started = time.monotonic()
    done = subprocess.run(
        [*LAGEBILD, *(a.format(**paths) for a in argv)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    took = time.monotonic() - started
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith(f"lagebild {argv[0]}: ")
    assert expected in errors[0]
    # no retrying for minutes (a loaded machine takes a few seconds to start python alone)
    assert took < 45, f"took {took:.1f}s"


def test_with_v_the_traceback_is_there(tmp_path: Path) -> None:
    done = subprocess.run(
        [*LAGEBILD, "-v", "enrich", "missing.jsonl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "FileNotFoundError" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1] == "lagebild enrich: no such file: missing.jsonl"


def test_enrich_rejects_lines_that_are_not_utf8_and_keeps_the_good_ones(tmp_path: Path) -> None:
    good = json.dumps({"title": "Hafen", "text": "Der Hafen von Odessa ist wieder offen."})
    data = (
        good.encode()
        + b"\n"
        + '{"title": "Grüße", "text": "aus Kiew"}'.encode("latin-1")
        + b"\n\x00\xff\xfe binary\n"
        + good.replace("Hafen", "Bahnhof").encode()
        + b"\n"
    )
    (tmp_path / "mixed.jsonl").write_bytes(data)
    done = subprocess.run(
        [*LAGEBILD, "enrich", "--no-fetch", "mixed.jsonl"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == 4  # one line out per line in, in order
    assert [o["status"] != "rejected" for o in out] == [True, False, False, True]
    # rejected exactly as the worker rejects such bytes on news.raw
    assert out[1]["reason"] == "invalid_json" and "invalid unicode" in out[1]["detail"]
    assert out[2]["reason"] == "invalid_json" and out[2]["stage"] == out[1]["stage"] == "clean"
    assert out[0]["title"] == "Hafen" and out[3]["title"] == "Bahnhof"
