"""The dedup stages: clean item in, unique item or duplicate out, partitioned like the rest.

An item is decided on the partition of its id; the keys it is looked up by (normalized URL,
content hash, title of a headline-only item, LSH bands of its MinHash signature) are owned by
the partition of their bucket, so two items that share a key meet on one partition whichever
partitions they came from::

     news.clean (by id)                news.dedup-probes (by bucket)
    ───────────────────► ┌─────────┐ ───────────────────────────────► ┌──────────────┐
                         │  dedup  │   one Probe per bucket of keys    │ dedup-index  │
    news.dedup-signals ─►│ verdict │ ◄──────────────────────────────── │ holders,     │
     (by id)             │ by id   │   Signal answer: the matches      │ bands,       │
                         └─┬──┬──┬─┘                                   │ sketches     │
                           │  │  └─ Signal correction / member ──┐     └──────────────┘
                           │  │     (by the other item's id) ────┘ back to news.dedup-signals
                           │  └──► news.duplicates (Duplicate, corrected ones version + 1)
                           └─────► news.unique (UniqueItem)

- ``decide`` (stage ``dedup``, state: the verdict store) takes a clean item and sends its
  probes, collects the answers, and decides once: a copy of the earliest published item it
  matched, or the head of its own cluster. A later item that matched an earlier one gets a
  ``correction``; a copy tells its head (``member``) so the head can pass a correction on.
- ``index`` (stage ``dedup-index``, state: the index store) answers a probe with the items
  already holding its keys (near: verified on the sketches) and adds the item.

Both are pure functions of (message, store, settings, now) returning what to send;
:class:`DedupIndex` runs them in one process over one dict, which is what ``lagebild
enrich``, replay and the benchmarks do. A record processed twice gives the same output: the
verdict of an (id, content) is stored and sent again as it was.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from workers.dedup.fingerprint import shingle_hashes, title_key, words
from workers.dedup.messages import Kind, Match, Probe, Signal
from workers.dedup.minhash import band_hashes, containment, jaccard, permutations, shared, signature
from workers.dedup.minhash import sketch as make_sketch
from workers.dedup.state import (
    DAY,
    Entry,
    Expiry,
    Progress,
    Ref,
    Store,
    StoreFor,
    Verdict,
    band_slot,
    digest,
    entry_key,
    exact_slot,
    get_entry,
    get_progress,
    get_verdict,
    put_entry,
    put_progress,
    put_verdict,
)
from workers.identity import normalize_url
from workers.records import (
    CleanItem,
    DedupInfo,
    Duplicate,
    DuplicateKind,
    EnrichedItem,
    Record,
    UniqueItem,
    utcnow,
)
from workers.settings import DedupSettings, KafkaSettings
from workers.topics import (
    DEDUP_INDEX_TABLE,
    DEDUP_PROBES,
    DEDUP_SIGNALS,
    DEDUP_TABLE,
    DUPLICATES,
    UNIQUE,
)

#: The better kind of match wins when one item matched another several ways.
KIND_RANK: dict[Kind, int] = {"url": 0, "text": 1, "title": 2, "near": 3}
#: Duplicate.kind on the wire: a headline-only item's text is its title.
PUBLIC_KIND: dict[Kind, DuplicateKind] = {
    "url": "url",
    "text": "text",
    "title": "text",
    "near": "near",
}
Outcome = UniqueItem | Duplicate


class Emit(NamedTuple):
    """A record for a topic under a key (the topic's partition is the key's, unless named)."""

    topic: str
    key: str
    record: Record
    partition: int | None = None


@dataclass(frozen=True)
class Fingerprint:
    content_hash: str  # of the body, the public dedup.content_hash
    exact: tuple[tuple[Kind, int], ...]  # (kind, 64-bit hash) of the exact keys
    bands: tuple[int, ...]  # 64-bit hashes of the LSH bands
    sketch: bytes | None
    size: int  # shingles behind the sketch


def _hash(prefix: str, text: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{prefix}:{text}".encode()).digest()[:8], "little")


def fingerprint(item: CleanItem, settings: DedupSettings) -> Fingerprint:
    """An item's keys. A body too short to compare (fewer than ``min_shingles`` shingles) makes
    it headline-only: its normalized title is its key. A body shorter than
    ``min_shared_shingles`` is a stub: its exact key includes the title, so stubs sharing a
    notice ("Der Artikel ist nicht mehr verfügbar") are not one story.
    """
    urls = {normalize_url(u) for u in (item.url, item.canonical_url) if u}
    exact: list[tuple[Kind, int]] = [("url", _hash("u", u)) for u in sorted(urls)]
    body = words(item.text)
    title = title_key(item.title)
    body_shingles = max(len(body) - settings.shingle_words + 1, 0)
    public_hash = hashlib.sha256(" ".join(body or words(item.title)).encode()).hexdigest()
    if body_shingles < settings.min_shingles:
        if title:
            exact.append(("title", _hash("t", title)))
        return Fingerprint(public_hash, tuple(exact), (), None, 0)
    text = " ".join(body)
    if body_shingles < settings.min_shared_shingles:
        text = f"{title}\n{text}"
    exact.append(("text", _hash("h", text)))
    grams = shingle_hashes([*title.split(), *body], settings.shingle_words)
    sig = signature(grams, permutations(settings.num_perm, settings.seed))
    bands = band_hashes(sig, settings.bands, settings.rows)
    if len(body) >= settings.lead_words:  # a truncation keeps the start: one more candidate
        bands.append(_hash("lead", " ".join(body[: settings.lead_words])))
    return Fingerprint(public_hash, tuple(exact), tuple(bands), make_sketch(sig), len(grams))


def probes(
    item_id: str, attempt: int, published: int, fp: Fingerprint, s: DedupSettings, buckets: int
) -> list[Probe]:
    """The item's keys by bucket (one probe each): a key's slot decides its bucket, so every
    item with that key asks the same partition. Bucket b is partition b of news.dedup-probes:
    one probe per partition at most, however many keys."""
    exact: dict[int, list[tuple[Kind, int, int]]] = {}
    bands: dict[int, list[tuple[int, int]]] = {}
    for kind, h in fp.exact:
        slot = h % s.exact_slots
        exact.setdefault(slot % buckets, []).append((kind, slot, h))
    for h in fp.bands:
        slot = h % s.band_slots
        bands.setdefault(slot % buckets, []).append((slot, h >> 32))
    return [
        Probe(
            id=item_id,
            attempt=attempt,
            published=published,
            bucket=b,
            exact=exact.get(b, []),
            bands=bands.get(b, []),
            sketch=fp.sketch,
            size=fp.size,
            home=b == min(exact.keys() | bands.keys()),
        )
        for b in sorted(exact.keys() | bands.keys())
    ]


def epoch(moment: datetime) -> int:
    """Epoch milliseconds: items of one poll, fetched in the same second, still have an order."""
    return int(moment.timestamp() * 1000)


def published_of(item: CleanItem) -> int:
    """When the item was published (when it was fetched if the feed does not say)."""
    return epoch(item.published_at or item.fetched_at)


def window(s: DedupSettings) -> int:
    """The horizon in ms: items published further apart are not compared."""
    return int(s.horizon_days * DAY)


# ---------------------------------------------------------------------------- stage: dedup


def decide(
    message: CleanItem | Signal, store: Store, settings: DedupSettings, now: datetime, buckets: int
) -> list[Emit]:
    """The dedup stage on the partition of an item's id (clean items and signals alike);
    ``buckets``: the partitions of news.dedup-probes."""
    if isinstance(message, CleanItem):
        return _start(message, store, settings, now, buckets)
    if message.type == "answer":
        return _answer(message, store, settings, now)
    if message.type == "correction":
        return _correction(message, store, settings, now)
    if message.type == "forget":  # it left the horizon of the index
        if get_progress(store, message.id) is None:
            store.pop(f"v:{message.id}", None)
        return []
    return _member(message, store, settings)


def _start(
    item: CleanItem, store: Store, s: DedupSettings, now: datetime, buckets: int
) -> list[Emit]:
    fp = fingerprint(item, s)
    prior = get_verdict(store, item.id)
    # a verdict seeded from a duplicate record has no hash: its content is the item's
    same = prior is not None and prior.same_content(fp.content_hash)
    if prior is not None and same and prior.version >= item.version:  # the same record again
        again = item.model_copy(update={"version": prior.version})
        return [_emit(_outcome(again, replace(prior, content_hash=fp.content_hash)))]
    version = item.version
    if prior is not None and prior.version >= item.version:
        version = prior.version + 1  # the same URL with another text: an update
    item = item.model_copy(update={"version": version})
    published = published_of(item)
    wanted = probes(item.id, version, published, fp, s, buckets)
    if not wanted:  # nothing to look up by: not compared, not kept
        out = _finish(item, fp.content_hash, [], store, s, now)
        if prior is None:
            del store[f"v:{item.id}"]
        return out
    pending = get_progress(store, item.id)
    if pending is None or pending.attempt != version:  # (a redelivery keeps what came in)
        store[f"p:{item.id}"] = item.to_json()
        progress = Progress(attempt=version, expected=len(wanted), content_hash=fp.content_hash)
        put_progress(store, item.id, progress)
    return [Emit(DEDUP_PROBES, str(p.bucket), p, partition=p.bucket) for p in wanted]


def _answer(answer: Signal, store: Store, s: DedupSettings, now: datetime) -> list[Emit]:
    """Answers are gathered in the item's progress until every bucket has answered."""
    progress = get_progress(store, answer.id)
    if progress is None or progress.attempt != answer.attempt or answer.bucket in progress.got:
        return []  # decided already, or a redelivered answer
    progress = _with_matches(progress, answer.matches)
    progress = replace(progress, got=progress.got | {answer.bucket})
    if len(progress.got) < progress.expected:
        put_progress(store, answer.id, progress)
        return []
    item = CleanItem.model_validate_json(store.pop(f"p:{answer.id}"))
    del store[f"a:{answer.id}"]
    return _finish(item, progress.content_hash, progress.matches, store, s, now)


def _with_matches(progress: Progress, matches: Iterable[Match]) -> Progress:
    seen = {m.id: m for m in progress.matches}
    for m in matches:
        seen[m.id] = _better(seen.get(m.id), m)
    return replace(progress, matches=tuple(seen[k] for k in sorted(seen)))


def _better(old: Match | None, new: Match) -> Match:
    if old is None:
        return new
    return min(old, new, key=lambda m: (KIND_RANK[m.kind], -m.similarity))


def _finish(
    item: CleanItem,
    chash: str,
    matches: list[Match],
    store: Store,
    s: DedupSettings,
    now: datetime,
) -> list[Emit]:
    """Decide: a copy of the earliest published match, or a head; tell the others."""
    prior = get_verdict(store, item.id)
    me = Ref(published_of(item), item.id)
    live = [m for m in matches if m.id != item.id and abs(m.published - me.published) <= window(s)]
    earlier = [m for m in live if Ref(m.published, m.id) < me]
    members = prior.members if prior is not None else ()
    verdict = Verdict(
        id=item.id,
        version=item.version,
        content_hash=chash,
        processed_at=now,
        published=me.published,
        cluster=item.id,
        url=item.url,
        title=item.title,
        members=members,
    )
    out: list[Emit] = []
    if earlier:
        head = min(earlier, key=lambda m: Ref(m.published, m.id))
        kind = PUBLIC_KIND[head.kind]
        verdict = _copy_of(verdict, head.id, head.published, kind, head.similarity)
        out += _tell_head(verdict)
        out += _pass_on(verdict, members)
        # what else it matched is in the same story: its head is the earliest of all
        out += [_correct(m.id, head.id, head.published, m) for m in live if m.id != head.id]
    else:
        out += [_correct(m.id, item.id, me.published, m) for m in sorted(live, key=lambda m: m.id)]
    put_verdict(store, verdict)
    return [_emit(_outcome(item, verdict)), *out]


def _correct(target: str, head: str, published: int, match: Match) -> Emit:
    """Tell ``target`` that ``head`` (published then) is an earlier copy of its story."""
    signal = Signal(
        type="correction",
        id=target,
        head=head,
        head_published=published,
        kind=PUBLIC_KIND[match.kind],
        similarity=match.similarity,
    )
    return Emit(DEDUP_SIGNALS, target, signal)


def _copy_of(v: Verdict, head: str, published: int, kind: DuplicateKind, sim: float) -> Verdict:
    return replace(
        v,
        kind=kind,
        of=head,
        of_published=published,
        cluster=head,
        similarity=round(sim, 4),
        members=(),
    )


def _tell_head(v: Verdict) -> list[Emit]:
    assert v.of is not None
    signal = Signal(type="member", id=v.of, member=v.id, member_published=v.published)
    return [Emit(DEDUP_SIGNALS, v.of, signal)]


def _pass_on(v: Verdict, members: Iterable[str]) -> list[Emit]:
    """A head that became a copy sends its copies to its own head."""
    assert v.of is not None
    return [
        Emit(
            DEDUP_SIGNALS,
            member,
            Signal(
                type="correction",
                id=member,
                head=v.of,
                head_published=v.of_published,
                kind=v.kind or "near",
                similarity=v.similarity,
            ),
        )
        for member in members
        if member != v.of
    ]


def _correction(c: Signal, store: Store, s: DedupSettings, now: datetime) -> list[Emit]:
    """An earlier copy ``c.head`` of item ``c.id``: correct its verdict (version + 1)."""
    assert c.head is not None
    new_head = Ref(c.head_published, c.head)
    progress = get_progress(store, c.id)
    if progress is not None:  # still waiting for its answers: count the earlier copy in
        kind: Kind = c.kind
        match = Match(id=c.head, published=c.head_published, kind=kind, similarity=c.similarity)
        put_progress(store, c.id, _with_matches(progress, [match]))
        return []
    v = get_verdict(store, c.id)
    if v is None or c.head == c.id:
        return []  # unknown or expired
    if not new_head < v.head:  # it knows an earlier copy: that one heads the other's story
        if v.head < new_head:
            match = Match(id=c.id, published=v.head.published, kind="near", similarity=c.similarity)
            return [_correct(c.head, v.head.id, v.head.published, match)]
        return []
    members, old_head = v.members, v.of
    corrected = _copy_of(
        replace(v, version=v.version + 1, processed_at=now),
        c.head,
        c.head_published,
        c.kind,
        c.similarity,
    )
    put_verdict(store, corrected)
    out = [_emit(_duplicate(corrected)), *_tell_head(corrected), *_pass_on(corrected, members)]
    if old_head is not None and old_head != c.head:  # its old head's story is this one
        match = Match(id=c.id, published=v.published, kind=c.kind, similarity=c.similarity)
        out.append(_correct(old_head, c.head, c.head_published, match))
    return out


def _member(m: Signal, store: Store, s: DedupSettings) -> list[Emit]:
    """Item ``m.member`` is a copy of ``m.id``: a head remembers it, a copy passes it on."""
    assert m.member is not None
    v = get_verdict(store, m.id)
    if v is None:
        return []
    if v.is_head:
        updated = v.with_member(m.member, s.max_members)
        if updated is not v:
            put_verdict(store, updated)
        return []
    return _pass_on(v, [m.member])


def _outcome(item: CleanItem, v: Verdict) -> Outcome:
    if v.is_head:
        return UniqueItem(
            **item.model_dump(exclude={"schema_version", "version"}),
            version=v.version,
            dedup=DedupInfo(content_hash=v.content_hash, cluster_id=v.cluster),
            processed_at=v.processed_at,
        )
    return _duplicate(v)


def _duplicate(v: Verdict) -> Duplicate:
    assert v.kind is not None and v.of is not None
    return Duplicate(
        id=v.id,
        version=v.version,
        duplicate_of=v.of,
        kind=v.kind,
        similarity=v.similarity,
        cluster_id=v.cluster,
        url=v.url,
        title=v.title,
        processed_at=v.processed_at,
    )


def _emit(outcome: Outcome) -> Emit:
    return Emit(DUPLICATES if isinstance(outcome, Duplicate) else UNIQUE, outcome.id, outcome)


# ---------------------------------------------------------------------- stage: dedup-index


def index(probe: Probe, store: Store, settings: DedupSettings, now: datetime) -> list[Emit]:
    """The dedup-index stage on the partition of a bucket: match the probe's keys, add them.

    The answer goes back to the item's partition; items this bucket's horizon dropped are
    told to forget their verdicts (from the bucket of their first key only, once).
    """
    s = settings
    expiry = Expiry(store, f"b{probe.bucket}")
    today = epoch(now) // DAY  # the index keeps an item horizon_days from when it came
    oldest_day = (epoch(now) - window(s)) // DAY
    out: list[Emit] = []

    def drop(item: int, home: bool) -> None:
        entry = get_entry(store, item)
        store.pop(entry_key(item), None)
        if entry is not None and home:
            out.append(Emit(DEDUP_SIGNALS, entry.id, Signal(type="forget", id=entry.id)))

    expiry.sweep(oldest_day, s.expire_batch, drop)

    def alive(item: int) -> bool:
        return entry_key(item) in store

    me = digest(probe.id)
    known = get_entry(store, me)
    mine = Entry(
        probe.id,
        probe.published,
        probe.size,
        probe.sketch or b"",
        day=today if known is None else known.day,
        exact=_union(known.exact if known else (), [(slot, tag) for _, slot, tag in probe.exact]),
        bands=_union(known.bands if known else (), probe.bands),
    )
    found: dict[str, Match] = {}
    for kind, slot, tag in probe.exact:
        holder = exact_slot(store, slot, tag, probe.published, me, alive)
        if holder is not None and holder[1] != me:
            match = _match(store, holder[1], kind, 1.0)
            if match is not None:
                found[match.id] = _better(found.get(match.id), match)
    checked: set[int] = {me}
    for slot, tag in probe.bands:
        cap = s.max_band_members
        for other in band_slot(store, slot, tag, today, me, oldest_day, cap):
            if other not in checked:
                checked.add(other)
                match = _near(mine, other, store, s)
                if match is not None:
                    found[match.id] = _better(found.get(match.id), match)
    if known is None:
        expiry.register(today, me, flag=probe.home)
    put_entry(store, mine)  # every bucket writes it, so every partition's changelog has it
    answer = Signal(
        type="answer",
        id=probe.id,
        attempt=probe.attempt,
        bucket=probe.bucket,
        matches=sorted(found.values(), key=lambda m: m.id),
    )
    return [*out, Emit(DEDUP_SIGNALS, probe.id, answer)]


def _union(
    known: tuple[tuple[int, int], ...], new: Iterable[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """The keys an entry holds: those of an earlier version (still in the slots) and these."""
    return (*known, *(k for k in new if k not in known))


def _match(store: Store, item: int, kind: Kind, similarity: float) -> Match | None:
    entry = get_entry(store, item)
    if entry is None:
        return None
    return Match(id=entry.id, published=entry.published, kind=kind, similarity=similarity)


def is_copy(j: float, size_a: int, size_b: int, s: DedupSettings) -> tuple[bool, float]:
    """Whether two sketches are one story, and the similarity to report.

    Sure when nearly all shingles agree; otherwise the items must share more than one
    sentence's worth of shingles (``min_shared_shingles``: a shared boilerplate sentence is
    not a shared story) and either overlap (Jaccard) or one hold the other (a truncation).
    """
    c = containment(j, size_a, size_b)
    if j >= s.sure_threshold:
        return True, j
    if shared(j, size_a, size_b) < s.min_shared_shingles:
        return False, j
    return (j >= s.near_threshold or c >= s.containment_threshold), max(j, c)


def _near(mine: Entry, item: int, store: Store, s: DedupSettings) -> Match | None:
    other = get_entry(store, item)
    if other is None or not other.bits or not mine.bits:
        return None
    copy, similarity = is_copy(jaccard(mine.bits, other.bits), mine.size, other.size, s)
    if not copy:
        return None
    return Match(
        id=other.id, published=other.published, kind="near", similarity=round(similarity, 4)
    )


# ------------------------------------------------------------------------ in one process


class DedupIndex:
    """Where the dedup stages keep their state, and both stages run in one process.

    In-process (``lagebild enrich``, replay, eval, the benchmarks) one store holds both
    stages' state (their keys never collide). The worker passes ``store_for``, which gives
    each record the store of its partition (workers/dedup/tables.py). ``buckets`` is the
    partitions of news.dedup-probes (``kafka.partitions``), in-process too, so that both
    send the same probes.

    ``run`` takes a clean item and passes every probe and signal on until none is left, as
    the topics would; it returns the item's outcome first, then any corrected records.
    """

    def __init__(
        self,
        store: Store,
        settings: DedupSettings,
        store_for: StoreFor | None = None,
        buckets: int = KafkaSettings.model_fields["partitions"].default,
    ) -> None:
        self.store = store
        self.settings = settings
        self.buckets = buckets
        self.store_for = store_for or (lambda table, key: store)
        self.corrections: list[Outcome] = []

    def decide(self, message: CleanItem | Signal, now: datetime) -> list[Emit]:
        """The ``dedup`` stage for one record (keyed by item id)."""
        store = self.store_for(DEDUP_TABLE, message.id)
        return decide(message, store, self.settings, now, self.buckets)

    def index(self, probe: Probe, now: datetime) -> list[Emit]:
        """The ``dedup-index`` stage for one probe (keyed by bucket)."""
        store = self.store_for(DEDUP_INDEX_TABLE, str(probe.bucket))
        return index(probe, store, self.settings, now)

    def run(self, item: CleanItem, now: datetime) -> list[Outcome]:
        queue: deque[Emit] = deque(self.decide(item, now))
        outcomes: list[Outcome] = []
        while queue:
            emit = queue.popleft()
            record = emit.record
            if isinstance(record, Probe):
                queue.extend(self.index(record, now))
            elif isinstance(record, Signal):
                queue.extend(self.decide(record, now))
            elif isinstance(record, UniqueItem | Duplicate):
                outcomes.append(record)
        mine = [o for o in outcomes if o.id == item.id]
        return mine[-1:] + [o for o in outcomes if o.id != item.id]

    def seed(self, record: EnrichedItem | Duplicate, now: datetime | None = None) -> None:
        """Put the verdict a record carries into the store, so it is not decided again.

        Replay calls it with the terminal records it read: an enriched record is indexed
        again (its text is in it) as the head of its cluster; a duplicate keeps its verdict.
        """
        now = now or utcnow()
        if isinstance(record, EnrichedItem):
            clean = CleanItem.model_validate(record.model_dump(include=set(CleanItem.model_fields)))
            fp = fingerprint(clean, self.settings)
            published = published_of(clean)
            wanted = probes(record.id, record.version, published, fp, self.settings, self.buckets)
            for probe in wanted:
                self.index(probe, now)
            verdict = Verdict(
                id=record.id,
                version=record.version,
                content_hash=record.dedup.content_hash,
                processed_at=record.processed_at,
                published=published,
                cluster=record.dedup.cluster_id,
                url=record.url,
                title=record.title,
            )
        else:
            verdict = Verdict(
                id=record.id,
                version=record.version,
                content_hash="",
                processed_at=record.processed_at,
                published=epoch(record.processed_at),
                cluster=record.cluster_id,
                kind=record.kind,
                of=record.duplicate_of,
                similarity=record.similarity,
                url=record.url,
                title=record.title,
            )
        put_verdict(self.store_for(DEDUP_TABLE, record.id), verdict)


def dedup(item: CleanItem, index: DedupIndex, now: datetime) -> Outcome:
    """The item's own outcome; records it corrected wait in ``index.corrections``."""
    outcome, *corrected = index.run(item, now)
    index.corrections.extend(corrected)
    return outcome
