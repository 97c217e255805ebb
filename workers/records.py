"""The records on every topic: declared once here, exported to schemas/.

Subscribers in any language read the JSON Schemas in schemas/, which are
generated from these models (`python -m workers.schemas --write`) and checked
against them by the tests. Every record carries ``schema_version``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Origin = Literal["live", "backfill", "replay"]
EntityType = Literal["PER", "LOC", "ORG", "MISC"]
DuplicateKind = Literal["url", "text", "near"]


def utcnow() -> datetime:
    return datetime.now(UTC)


STRICT = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Record(BaseModel):
    model_config = STRICT

    schema_version: Literal[1] = SCHEMA_VERSION

    def to_json(self) -> bytes:
        return self.model_dump_json().encode("utf-8")


class Source(BaseModel):
    model_config = STRICT

    publisher: str | None = None
    feed: str | None = Field(None, description="the feed URL or file the item came from")


class RawItem(Record):
    """news.raw: a news item as a feed (or backfill) delivered it."""

    id: str = Field(description="stable id from the normalized URL")
    version: int = Field(1, ge=1, description="a corrected item is the same id, version + 1")
    url: str | None = None
    source: Source = Source()
    title: str = ""
    summary: str | None = None
    html: str | None = None
    text: str | None = None
    authors: list[str] = []
    published_at: datetime | None = None
    fetched_at: datetime
    language_hint: str | None = Field(None, description="the language the feed declares")
    origin: Origin = "live"
    run_id: str


class PageFetch(BaseModel):
    model_config = STRICT

    status: Literal["fetched", "failed"]
    reason: str | None = Field(None, description="why it failed: a stable code (fetch:http_404)")
    detail: str = ""


class FetchedItem(RawItem):
    """news.fetched: a teaser-only raw item with its article page, or why it has none."""

    page: PageFetch


class Lang(BaseModel):
    model_config = STRICT

    code: str
    confidence: float = Field(ge=0.0, le=1.0)
    method: Literal["detected", "feed", "default"] = "detected"


class CleanItem(RawItem):
    """news.clean: text extracted and normalized, language known."""

    text: str = Field("", description="clean body text, paragraphs separated by blank lines")
    lang: Lang
    canonical_url: str | None = Field(None, description="the page's canonical URL, if other")
    site_name: str | None = None
    image_url: str | None = Field(None, description="the lead image")
    word_count: int = Field(0, ge=0)
    text_source: Literal["html", "text", "summary", "title"] = Field(
        "text",
        description="where the text came from: html (feed or page), the feed's text, "
        "its summary, or the title alone (no body)",
    )
    page_error: str | None = Field(
        None,
        description="why a teaser-only item has no article page (fetch:http_404, fetch:timeout, "
        "fetch:disabled ...): its text is then the feed's teaser",
    )


class DedupInfo(BaseModel):
    model_config = STRICT

    content_hash: str
    cluster_id: str


class UniqueItem(CleanItem):
    """news.unique: an item that is not a duplicate of one seen before."""

    dedup: DedupInfo
    processed_at: datetime


class Mention(BaseModel):
    model_config = STRICT

    text: str
    start: int = Field(ge=0, description="offset into `text` (the title is not counted)")
    end: int = Field(ge=0)


LinkMethod = Literal["alias", "context", "default"]


class EntityLink(BaseModel):
    """How a mention was tied to its knowledge-base entry."""

    model_config = STRICT

    method: LinkMethod = Field(
        description="alias: the form names one entry; context: the words around it chose "
        "among several; default: none of several was spoken for, the usual one was taken"
    )
    alias: str = Field(description="the knowledge-base form that matched")
    score: float = Field(ge=0, le=1, description="1 when unambiguous; else the chosen share")


class Entity(BaseModel):
    model_config = STRICT

    id: str | None = Field(description="Wikidata id, or null when not linked")
    key: str = Field(
        "",
        description="lagebild's stable id of the thing: the Wikidata id, else the knowledge "
        "base's own (geonames:N, wof:N, lagebild:TYPE:name), else name:TYPE:normalised name "
        "for a name the knowledge base lacks",
    )
    name: str
    type: EntityType
    mentions: list[Mention]
    count: int = Field(ge=0)
    in_title: bool
    in_lead: bool
    link: EntityLink | None = Field(None, description="null for names outside the knowledge base")


class Topic(BaseModel):
    model_config = STRICT

    id: str
    label: str
    score: float
    evidence: list[str]


class EnrichedItem(UniqueItem):
    """news.enriched and news.enriched.<topic>: the public result, keyed by id."""

    entities: list[Entity] = []
    topics: list[Topic] = []
    pipeline_version: str


class Duplicate(Record):
    """news.duplicates: an item seen before, pointing at the first of its cluster."""

    id: str
    version: int = 1
    duplicate_of: str
    kind: DuplicateKind
    similarity: float = Field(ge=0.0, le=1.0)
    cluster_id: str
    url: str | None = None
    title: str = ""
    processed_at: datetime


class Rejected(Record):
    """news.rejected: what a stage could not process, with the payload as received."""

    id: str | None = None
    version: int | None = None
    stage: str
    reason: str = Field(description="a stable, machine-readable code")
    detail: str = Field("", description="for people")
    original: str = Field(
        description="the payload as received (UTF-8, undecodable bytes replaced), cut to "
        "kafka.max_original_bytes"
    )
    original_bytes: int = Field(0, ge=0, description="the payload's size as received")
    original_sha256: str = Field("", description="of the payload as received (hex)")
    truncated: bool = Field(False, description="`original` is only the start of the payload")
    at: datetime


class PollerState(Record):
    """news.poller-state (compacted): what the poller has fetched and published.

    ``feed:<url>`` holds a feed's validators, its schedule and its health;
    ``item:<id>`` the version and content fingerprint published for an entry.
    """

    key: str = Field(description="'feed:<url>' or 'item:<id>'")
    etag: str | None = None
    last_modified: str | None = None
    version: int | None = None
    content_hash: str | None = None
    guid: str | None = Field(
        None, description="an item's '<publisher>|<guid>': the id stays when the link changes"
    )
    publisher: str | None = None
    kind: Literal["feed", "news-sitemap", "sitemap"] | None = None
    next_due: datetime | None = Field(None, description="when the feed is polled next")
    interval: float | None = Field(None, description="its current interval (s), adapted")
    failures: int = Field(0, ge=0, description="failures in a row (0: healthy)")
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = Field(None, description="reason code of the last failure")
    fetches: int = Field(0, ge=0, description="polls of the feed")
    not_modified: int = Field(0, ge=0, description="polls that found it unchanged")
    errors: int = Field(0, ge=0, description="polls that failed")
    items: int = Field(0, ge=0, description="items published from it")
    updated_at: datetime


class BackfillState(Record):
    """news.backfill-state (compacted): what backfills have published, and their runs.

    ``item:<id>`` holds the version and content fingerprint published for an item;
    ``run:<digest>`` a run over a set of sources (its id, start, status and counts),
    so an interrupted run resumes under the same run id.
    """

    key: str = Field(description="'item:<id>' or 'run:<digest of the sources>'")
    version: int | None = None
    content_hash: str | None = None
    run_id: str | None = None
    started_at: datetime | None = None
    status: Literal["running", "interrupted", "done"] | None = None
    counts: dict[str, int] = {}
    updated_at: datetime


#: Every wire record, by the schema file it is exported to.
WIRE_RECORDS: dict[str, type[Record]] = {
    "raw": RawItem,
    "fetched": FetchedItem,
    "clean": CleanItem,
    "unique": UniqueItem,
    "enriched": EnrichedItem,
    "duplicate": Duplicate,
    "rejected": Rejected,
    "poller_state": PollerState,
    "backfill_state": BackfillState,
}
