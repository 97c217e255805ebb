"""What the dashboard shows, computed from terminal records: pure, so tests feed it directly."""

from __future__ import annotations

from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from workers.records import Duplicate, EnrichedItem, Rejected

Terminal = EnrichedItem | Duplicate | Rejected


@dataclass
class Row:
    """One item as the dashboard lists it, with the duplicates that point at it."""

    id: str
    at: float
    kind: str  # enriched, duplicate, rejected
    title: str
    publisher: str | None
    url: str | None
    topics: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    verdict: str = ""
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    def matches(self, topic: str | None, entity: str | None) -> bool:
        if topic and topic not in {t["id"] for t in self.topics}:
            return False
        if entity:
            needle = entity.casefold()
            return any(
                (e["id"] or "").casefold() == needle or needle in e["name"].casefold()
                for e in self.entities
            )
        return True


def publisher_of(url: str | None) -> str | None:
    """A duplicate carries its URL but no publisher: the host says who published it."""
    if not url or "://" not in url:
        return None
    return url.split("://", 1)[1].split("/", 1)[0].removeprefix("www.") or None


class Board:
    """The newest items, counts per news topic over time, rejections, throughput, lag."""

    def __init__(
        self, labels: dict[str, str], newest: int = 50, bucket: float = 60.0, buckets: int = 60
    ) -> None:
        self.labels = labels  # topic id -> label, in the taxonomy's order
        self.newest = newest
        self.bucket = bucket
        self.buckets = buckets
        self.rows: OrderedDict[str, Row] = OrderedDict()  # newest last
        self.orphans: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()  # by duplicate_of
        self.totals: Counter[str] = Counter()  # enriched, duplicate, rejected
        self.per_topic: dict[int, Counter[str]] = {}  # bucket start -> topic id -> items
        self.rejections: Counter[str] = Counter()  # "stage:reason" -> records
        self.arrivals: deque[float] = deque()  # record times, for throughput
        self.lag: dict[str, int] = {}  # topic -> records the workers have not read
        self.last_at = 0.0

    def add(self, record: Terminal, at: float) -> None:
        """One terminal record; ``at`` is its time in seconds (the Kafka timestamp)."""
        self.last_at = max(self.last_at, at)
        self.arrivals.append(at)
        if isinstance(record, EnrichedItem):
            self.totals["enriched"] += 1
            row = Row(
                id=record.id,
                at=at,
                kind="enriched",
                title=record.title,
                publisher=record.source.publisher or publisher_of(record.url),
                url=record.url,
                topics=[
                    {"id": t.id, "label": t.label, "score": round(t.score, 2)}
                    for t in record.topics
                ],
                entities=[
                    {"id": e.id, "name": e.name, "type": e.type} for e in record.entities[:8]
                ],
                verdict="unique",
            )
            row.duplicates = self.orphans.pop(record.id, [])
            bucket = self.per_topic.setdefault(int(at // self.bucket * self.bucket), Counter())
            bucket.update(t.id for t in record.topics)
            self._put(row)
        elif isinstance(record, Duplicate):
            self.totals["duplicate"] += 1
            dup = {
                "id": record.id,
                "kind": record.kind,
                "similarity": round(record.similarity, 2),
                "title": record.title,
                "publisher": publisher_of(record.url),
                "url": record.url,
                "at": at,
            }
            original = self.rows.get(record.duplicate_of)
            if original is not None:  # shown under the item it repeats
                original.duplicates = [d for d in original.duplicates if d["id"] != record.id]
                original.duplicates.append(dup)
            else:  # its original is not (yet) here: keep it until it comes
                self.orphans.setdefault(record.duplicate_of, []).append(dup)
                while len(self.orphans) > self.newest:
                    self.orphans.popitem(last=False)
        else:
            self.totals["rejected"] += 1
            self.rejections[f"{record.stage}:{record.reason}"] += 1
            self._put(
                Row(
                    id=record.id or f"rejected@{at}",
                    at=at,
                    kind="rejected",
                    title=record.detail[:160],
                    publisher=None,
                    url=None,
                    verdict=f"rejected at {record.stage}: {record.reason}",
                )
            )
        self._trim()

    def _put(self, row: Row) -> None:
        old = self.rows.pop(row.id, None)
        if old is not None and not row.duplicates:
            row.duplicates = old.duplicates  # a new version keeps its duplicates
        self.rows[row.id] = row

    def _trim(self) -> None:
        while len(self.rows) > self.newest:
            self.rows.popitem(last=False)
        if self.per_topic:
            newest = max(self.per_topic)
            for start in [s for s in self.per_topic if s <= newest - self.buckets * self.bucket]:
                del self.per_topic[start]
        while self.arrivals and self.arrivals[0] < self.last_at - 300:
            self.arrivals.popleft()

    def axis(self, now: float, least: int = 12) -> list[int]:
        """Bucket starts up to now without gaps: time runs on even when nothing comes."""
        if not self.per_topic:
            return []
        step = int(self.bucket)
        end = int(max(now, max(self.per_topic)) // self.bucket * self.bucket)
        first = max(min(self.per_topic), end - (self.buckets - 1) * step)
        first = min(first, end - (least - 1) * step)
        return list(range(first, end + step, step))

    def throughput(self, now: float, window: float = 60.0) -> float:
        """Terminal records per minute over the last ``window`` seconds."""
        recent = sum(1 for at in self.arrivals if now - window < at <= now)
        return recent * 60.0 / window

    def snapshot(
        self, now: float, topic: str | None = None, entity: str | None = None
    ) -> dict[str, Any]:
        """Everything the page draws, filtered by news topic id and entity (id or name)."""
        rows = [r for r in reversed(self.rows.values()) if r.matches(topic, entity)]
        starts = self.axis(now)
        empty: Counter[str] = Counter()
        series = {
            t: [self.per_topic.get(s, empty).get(t, 0) for s in starts]
            for t in self.labels
            if any(self.per_topic.get(s, empty).get(t) for s in starts)
        }
        return {
            "totals": dict(self.totals),
            "throughput_per_min": round(self.throughput(now), 1),
            "lag": dict(self.lag),
            "lag_total": sum(self.lag.values()),
            "rejections": dict(self.rejections.most_common()),
            "topics": [{"id": t, "label": label} for t, label in self.labels.items()],
            "chart": {"bucket_seconds": self.bucket, "starts": starts, "series": series},
            "items": [vars(r) for r in rows],
            "filter": {"topic": topic, "entity": entity},
        }
