"""One typed settings object for every part of lagebild.

Read from the environment (prefix ``LAGEBILD_``, nested with ``__``, plus the
conventional ``KAFKA_BOOTSTRAP_SERVERS``) and an optional TOML file named by
``LAGEBILD_CONFIG``. Modules receive the section they need; none reads the
environment itself.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PACKAGE_DIR = Path(__file__).resolve().parent

#: Faust timings that let a worker join the embedded broker in about two seconds
#: (Tansu holds a JoinGroup for half the session timeout), and a shorter fetch wait:
#: on Tansu a hop's latency follows it (bench/pipeline.py at 2 items/s: p50 0.33 s
#: with 0.1 s, 0.23 s with 0.05 s or 0.02 s), but every wait is a fetch of all the
#: worker's partitions, and an idle broker's CPU rose from 7% to 20% of a core at 0.02 s.
EMBEDDED_KAFKA_TIMINGS = {
    "session_timeout": 2.0,
    "heartbeat_interval": 0.5,
    "commit_interval": 1.0,
    "fetch_max_wait": 0.05,
}


class Section(BaseModel):
    """A settings section: frozen, so a module cannot change what another one reads."""

    model_config = ConfigDict(frozen=True)


class KafkaSettings(Section):
    bootstrap_servers: str | None = Field(
        None, description="host:port[,host:port]; unset means: start the embedded broker"
    )
    topic_prefix: str = Field("", description="prepended to every topic name")
    partitions: int = Field(4, ge=1, description="partitions of the partitioned topics")
    replication_factor: int = Field(1, ge=1)
    retention_ms: int = Field(14 * 24 * 3600 * 1000, description="retention of stream topics")
    session_timeout: float = 30.0
    heartbeat_interval: float = 3.0
    commit_interval: float = 2.8
    request_timeout: float = 40.0
    reread_after: float = Field(
        20.0,
        gt=0,
        description="seconds a partition's next offset may stay unprocessed while later ones "
        "are done before the worker reads the partition again from it (faust dropped it)",
    )
    fetch_max_wait: float = Field(
        0.1,
        gt=0,
        description="longest a consumer's fetch waits for data (s): the latency of an idle hop "
        "(faust's own 1.5 s made each hop cost up to that)",
    )
    max_record_bytes: int = Field(
        10 * 1024 * 1024,
        ge=100_000,
        description="the largest record any producer sends, any consumer fetches and every topic "
        "accepts (max.message.bytes); a stage result above it is rejected as record_too_large",
    )
    max_original_bytes: int = Field(
        64 * 1024,
        ge=1024,
        description="a rejection keeps this much of the payload as received (with its size and "
        "SHA-256), so the rejection itself always fits",
    )
    producer_linger: float = Field(
        0.0, ge=0, description="how long a producer waits to fill a batch (s)"
    )


class BrokerSettings(Section):
    """The embedded Kafka-protocol broker (Tansu) for laptops, tests and demos."""

    host: str = "127.0.0.1"
    port: int = Field(0, description="0 picks a free port")
    start_timeout: float = 15.0


class WorkerSettings(Section):
    app_id: str = "lagebild"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    data_dir: Path = Path(".lagebild-data")
    store: Literal["memory", "rocksdb"] = "memory"
    log_level: str = "warning"
    processes: int = Field(
        1, ge=1, description="worker processes `lagebild up` starts (one per core uses them all)"
    )
    outage_log_every: float = Field(
        30.0, gt=0, description="while the broker is away, a worker logs a line this often (s)"
    )
    batch_max: int = Field(64, ge=1, description="an agent takes up to this many records at a time")
    batch_wait: float = Field(
        0.005,
        gt=0,
        description="and waits at most this long (s) to fill the batch; an idle agent wakes "
        "this often (faust's take), which costs CPU: the price of a short hop",
    )
    aside_batch_wait: float = Field(
        0.1,
        gt=0,
        description="the same for the agents off an item's way to its terminal record (fetch, "
        "route, backfill), which need not wake so often",
    )
    backfill_yield: float = Field(
        0.05, description="a backfill record waits while a live one came in this recently (s)"
    )
    backfill_max_wait: float = Field(
        1.0, description="but never longer than this (s), so live traffic cannot starve it"
    )
    lag_interval: float = Field(
        5.0, gt=0, description="seconds between consumer-lag refreshes (also the broker check)"
    )
    broker_check_timeout: float = Field(
        3.0, gt=0, description="/readyz: the broker counts as unreachable after this (s)"
    )


class DashboardSettings(Section):
    """`lagebild dashboard` (and the one `lagebild up` starts): a page over the terminal topics."""

    host: str = "127.0.0.1"
    port: int = Field(6080, description="0 picks a free port")
    newest: int = Field(50, ge=1, description="items listed, newest first")
    lookback: float = Field(
        3600.0, ge=0, description="on start, read the terminal topics from this many seconds ago"
    )
    bucket: float = Field(60.0, gt=0, description="seconds per bar of the per-topic chart")
    buckets: int = Field(60, ge=1, description="bars the chart keeps")
    refresh: float = Field(2.0, gt=0, description="seconds between the page's updates")
    lag_interval: float = Field(5.0, gt=0, description="seconds between consumer-lag reads")


class HttpSettings(Section):
    """The one HTTP client that fetches feeds and pages."""

    timeout: float = 15.0
    max_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "lagebild/0.1 (+https://github.com/lagebild)"
    allow_private_addresses: bool = Field(
        False, description="let loopback/private hosts through for feeds and pages alike"
    )
    allow_private_feeds: bool | None = Field(
        None, description="feeds from loopback/private hosts (unset: allow_private_addresses)"
    )
    allow_private_pages: bool | None = Field(
        None, description="article pages from private hosts (unset: allow_private_addresses)"
    )
    max_per_host: int = Field(2, ge=1, description="concurrent requests to one host")
    per_host_delay: float = Field(
        0.5, ge=0, description="seconds between the starts of two requests to one host"
    )
    max_retries: int = Field(2, ge=0, description="retries of a 429/503 that sends Retry-After")
    max_retry_after: float = Field(
        30.0, ge=0, description="a longer Retry-After is not waited for: the fetch fails"
    )

    def allows_private(self, purpose: Literal["feed", "page"]) -> bool:
        """May a fetch for this purpose reach loopback/private addresses?"""
        own = self.allow_private_feeds if purpose == "feed" else self.allow_private_pages
        return self.allow_private_addresses if own is None else own


class PollerSettings(Section):
    """The feed poller: its schedule, its share of the feeds, its patience with the broker."""

    feeds_file: Path | None = Field(None, description="feeds.toml; unset: the bundled sample")
    interval: float = Field(300.0, gt=0, description="first interval of a feed (s)")
    min_interval: float = Field(60.0, gt=0, description="a feed is never polled more often (s)")
    max_interval: float = Field(3600.0, gt=0, description="nor less often, when healthy (s)")
    speedup: float = Field(0.5, gt=0, le=1, description="interval × this after new items")
    slowdown: float = Field(1.5, ge=1, description="interval × this after nothing new")
    jitter: float = Field(0.1, ge=0, lt=1, description="± this share of every interval")
    backoff_base: float = Field(60.0, gt=0, description="wait after a feed's first failure (s)")
    max_backoff: float = Field(6 * 3600.0, gt=0, description="longest wait of a failing feed")
    concurrency: int = Field(64, ge=1, description="feeds fetched at once, over all hosts")
    partitions: int = Field(
        12, ge=1, description="partitions of news.poller-state: pollers share feeds by them"
    )
    group_id: str = Field("lagebild-poller", description="consumer group of the pollers")
    tick: float = Field(1.0, gt=0, description="how often the loop looks for due feeds (s)")
    report_every: float = Field(60.0, gt=0, description="a summary of the polls this often (s)")
    sitemap_max_age: float = Field(
        2 * 86400.0, gt=0, description="live sitemap entries older than this are ignored (s)"
    )
    outage_limit: float = Field(
        300.0, gt=0, description="a broker unreachable this long stops poller and backfill (s)"
    )
    state_load_timeout: float = 30.0
    metrics_port: int | None = Field(
        None, description="serve /metrics and /healthz of `lagebild poll` here; unset: none"
    )
    metrics_host: str = "127.0.0.1"


class CleanSettings(Section):
    accept_languages: list[str] = ["de"]
    min_confidence: float = Field(0.80, description="below it, trust the feed's language")
    min_chars_for_detection: int = Field(
        60, description="title + teaser + body shorter than this trusts the feed's language"
    )
    seed: int = Field(0, description="langdetect seed: the same text always gets the same answer")
    detection_chars: int = Field(
        500,
        ge=50,
        description="langdetect reads this many characters (its cost grows with length; "
        "500 decide as 2000 do, see bench/language.py)",
    )
    detection_trials: int = Field(
        3,
        ge=1,
        description="langdetect's random-sampling runs, averaged, for a text of "
        "short_text_chars or more (its default 7 costs 1.5 times as much and decides the same, "
        "see bench/language.py); a shorter text gets 7: one run's answer on it varies more",
    )
    clear_function_words: int = Field(
        15,
        ge=1,
        description="a text with this many function words (and own letters) of an accepted "
        "language among its first detection_chars characters, and at most a "
        "clear_function_word_ratio-th as many of any other language's, is that language "
        "without asking langdetect (see bench/language.py; German articles have a median of "
        "30, foreign ones at most 3)",
    )
    clear_function_word_ratio: float = Field(5.0, ge=1.0, description="see clear_function_words")
    short_text_chars: int = Field(
        200,
        ge=0,
        description="without a feed hint, a shorter Latin-script text goes by its function "
        "words when they are clear (langdetect guesses on a headline)",
    )
    short_text_languages: list[str] = Field(
        ["de", "en", "fr", "nl", "pl", "it", "es"],
        description="the Latin-script languages such a short text is scored against "
        "(langdetect on a headline confuses German with Afrikaans, Norwegian, Tagalog)",
    )
    min_words_without_hint: int = Field(
        2,
        ge=1,
        description="without a feed hint, fewer words than this are undetermined "
        "(rejected as language:undetermined, not as a wrong language)",
    )
    lexicon_min_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="a short text without a hint called foreign, with no foreign function "
        "word, is German when its lowercase words and this share of all its words are German "
        "words to HanTa's lexicon (0: no second opinion; see workers/clean/lexicon.py)",
    )
    lexicon_min_logp: float = Field(
        -18.0,
        description="a word HanTa does not hold counts as German when its analysis scores "
        "above this log-probability (a word it cannot build: about -30)",
    )
    function_words_file: Path | None = Field(
        None, description="function words per language (TOML); unset: the bundled list"
    )
    boilerplate_file: Path | None = Field(
        None, description="boilerplate rule file (TOML); unset: the bundled rules"
    )
    max_html_chars: int = Field(
        2_000_000, ge=1000, description="longer HTML is cut here before extraction"
    )
    max_html_tags: int = Field(
        30_000, ge=100, description="HTML with more tags is cut there (extraction cost)"
    )
    fetch_pages: bool = Field(
        True, description="fetch the article page of items that carry only a title and teaser"
    )
    fetch_below_chars: int = Field(
        400, ge=0, description="feed text shorter than this is a teaser: fetch the page"
    )
    fetch_timeout: float = Field(
        20.0, gt=0, description="seconds one page fetch (with retries) may take in all"
    )
    on_fetch_error: Literal["reject", "teaser"] = Field(
        "teaser",
        description="a failed page fetch: keep the item with its title and teaser (a headline "
        "is still news; the record says why in page_error), or reject it",
    )


class DedupSettings(Section):
    """Exact keys, MinHash/LSH near duplicates and the horizon (see workers/dedup/)."""

    horizon_days: float = Field(
        14.0,
        gt=0,
        description="an item leaves the index this long after it came; items published "
        "further apart are not compared",
    )
    shingle_words: int = Field(3, ge=1, description="words per shingle")
    min_shingles: int = Field(
        8, ge=1, description="an item with fewer shingles is headline-only: its title is compared"
    )
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash values per signature")
    bands: int = Field(24, ge=1, description="LSH bands (bands x rows <= num_perm)")
    rows: int = Field(3, ge=1, description="signature values per LSH band")
    lead_words: int = Field(
        16, ge=1, description="the first words of a body are one more band (truncations)"
    )
    seed: int = Field(1, description="the permutations; changing it invalidates stored sketches")
    near_threshold: float = Field(
        0.5, gt=0, le=1, description="estimated Jaccard of shingles at which items are copies"
    )
    containment_threshold: float = Field(
        0.8, gt=0, le=1, description="or: this share of the shorter item is in the longer one"
    )
    min_shared_shingles: int = Field(
        25,
        ge=0,
        description="fewer shared shingles is one shared sentence (boilerplate), not one story",
    )
    sure_threshold: float = Field(
        0.9, gt=0, le=1, description="a Jaccard this high is a copy however short the items"
    )
    settle_seconds: float = Field(
        1.5,
        ge=0,
        description="`up --once` sums up after this long without a new result: a correction "
        "(an earlier copy decided later) supersedes an item's first record a moment after it",
    )
    exact_slots: int = Field(
        1 << 16,
        ge=1,
        description="values the exact keys are packed in: about items in the horizon / 16",
    )
    band_slots: int = Field(
        1 << 18,
        ge=1,
        description="values the LSH bands are packed in: about items in the horizon x bands / 64"
        " (fewer: less memory, longer values rewritten per item)",
    )
    max_band_members: int = Field(
        64, ge=1, description="a band shared by more items is boilerplate: nobody else joins"
    )
    max_members: int = Field(
        1000, ge=0, description="copies a head remembers, to correct them when an earlier comes"
    )
    expire_batch: int = Field(
        256, ge=1, description="expired items removed per record processed (no long sweeps)"
    )

    @model_validator(mode="after")
    def _bands_fit(self) -> DedupSettings:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"dedup: bands x rows ({self.bands * self.rows}) > num_perm")
        return self


class AuditSettings(Section):
    grace: float = Field(
        300.0,
        ge=0,
        description="a raw record the workers consumed this long ago (s) without a terminal "
        "record is missing; a younger one is in flight",
    )


class TaggingSettings(Section):
    entities_file: Path = Field(
        PACKAGE_DIR / "tagging" / "data" / "kb.jsonl.gz",
        description="the knowledge base built by `python -m workers.tagging.build_kb` "
        "(or a curated .jsonl of the same fields)",
    )
    topics_file: Path = PACKAGE_DIR / "tagging" / "data" / "topics.toml"
    cues_file: Path = Field(
        PACKAGE_DIR / "tagging" / "data" / "cues.toml",
        description="given names and context cues that find and type unlinked names",
    )
    unlinked: bool = Field(
        True, description="also report proper nouns outside the knowledge base (id null)"
    )
    ner_model: Path | None = Field(
        PACKAGE_DIR / "tagging" / "data" / "ner.crfsuite",
        description="the CRF name tagger made by scripts/train_ner.py; null: find unlinked "
        "names with the cues of cues_file and HanTa instead",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LAGEBILD_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    profile: Literal["embedded", "production"] = "production"
    log_format: Literal["text", "json"] = Field(
        "text", description="json: one JSON object per log line (LAGEBILD_LOG_FORMAT=json)"
    )
    log_repeats_every: float = Field(
        60.0,
        ge=0,
        description="a library's log line repeated within this many seconds is held back and "
        "counted (faust's warnings while it catches up after an outage); 0 lets all through",
    )
    kafka: KafkaSettings = KafkaSettings()
    broker: BrokerSettings = BrokerSettings()
    worker: WorkerSettings = WorkerSettings()
    http: HttpSettings = HttpSettings()
    dashboard: DashboardSettings = DashboardSettings()
    poller: PollerSettings = PollerSettings()
    clean: CleanSettings = CleanSettings()
    dedup: DedupSettings = DedupSettings()
    tagging: TaggingSettings = TaggingSettings()
    audit: AuditSettings = AuditSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("LAGEBILD_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)

    @model_validator(mode="before")
    @classmethod
    def _apply_profile(cls, data: Any) -> Any:
        """KAFKA_BOOTSTRAP_SERVERS, and the embedded timings for what was not set."""
        if not isinstance(data, dict):
            return data
        kafka = data.get("kafka") or {}
        if isinstance(kafka, BaseModel):
            kafka = kafka.model_dump(exclude_unset=True)
        kafka = dict(kafka)
        if kafka.get("bootstrap_servers") is None:
            kafka["bootstrap_servers"] = os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or None
        if data.get("profile") == "embedded":
            for name, value in EMBEDDED_KAFKA_TIMINGS.items():
                kafka.setdefault(name, value)
        return {**data, "kafka": kafka}

    def replace(self, **sections: dict[str, Any] | str) -> Settings:
        """A copy with some fields changed: ``settings.replace(kafka={"partitions": 2})``."""
        update: dict[str, Any] = {}
        for name, fields in sections.items():
            if isinstance(fields, dict):
                section = getattr(self, name)
                update[name] = section.model_validate(section.model_dump() | fields)
            else:
                update[name] = fields
        return self.model_copy(update=update)

    def with_embedded_broker(self, bootstrap: str) -> Settings:
        """These settings pointed at an embedded broker, with its timings."""
        return self.replace(
            profile="embedded", kafka={"bootstrap_servers": bootstrap, **EMBEDDED_KAFKA_TIMINGS}
        )

    def to_env(self) -> dict[str, str]:
        """Environment variables that give a child process exactly these settings."""
        env = {"LAGEBILD_PROFILE": self.profile}
        for name in type(self).model_fields:
            section = getattr(self, name)
            if not isinstance(section, BaseModel):  # a top-level field: profile, log_format
                if section is not None:
                    env[f"LAGEBILD_{name.upper()}"] = str(section)
                continue
            for field, value in section.model_dump(mode="json").items():
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value)
                    env[f"LAGEBILD_{name.upper()}__{field.upper()}"] = text
        if self.kafka.bootstrap_servers:
            env["KAFKA_BOOTSTRAP_SERVERS"] = self.kafka.bootstrap_servers
        return env

    def topic(self, name: str) -> str:
        """The full topic name, with the configured prefix."""
        return f"{self.kafka.topic_prefix}{name}"


@cache
def get_settings() -> Settings:
    return Settings()
