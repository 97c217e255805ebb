from __future__ import annotations

from pathlib import Path

import pytest

from workers.settings import EMBEDDED_KAFKA_TIMINGS, Settings


def test_defaults_are_for_a_real_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    settings = Settings()
    assert settings.kafka.bootstrap_servers is None
    assert settings.kafka.session_timeout >= 10


def test_environment_and_embedded_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("LAGEBILD_PROFILE", "embedded")
    monkeypatch.setenv("LAGEBILD_KAFKA__TOPIC_PREFIX", "dev.")
    monkeypatch.setenv("LAGEBILD_KAFKA__HEARTBEAT_INTERVAL", "0.25")
    settings = Settings()
    assert settings.kafka.bootstrap_servers == "kafka:9092"
    assert settings.topic("news.raw") == "dev.news.raw"
    assert settings.kafka.session_timeout == EMBEDDED_KAFKA_TIMINGS["session_timeout"]
    assert settings.kafka.heartbeat_interval == 0.25  # explicit values win over the profile


def test_toml_file_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "lagebild.toml"
    config.write_text('[kafka]\npartitions = 12\ntopic_prefix = "file."\n', encoding="utf-8")
    monkeypatch.setenv("LAGEBILD_CONFIG", str(config))
    monkeypatch.setenv("LAGEBILD_KAFKA__TOPIC_PREFIX", "env.")
    settings = Settings()
    assert settings.kafka.partitions == 12
    assert settings.kafka.topic_prefix == "env."


def test_with_embedded_broker_sets_timings() -> None:
    settings = Settings().with_embedded_broker("127.0.0.1:1234")
    assert settings.profile == "embedded"
    assert settings.kafka.bootstrap_servers == "127.0.0.1:1234"
    assert settings.kafka.commit_interval == EMBEDDED_KAFKA_TIMINGS["commit_interval"]
