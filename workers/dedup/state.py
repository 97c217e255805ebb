"""The dedup state: typed entries over plain key-value stores, and their horizon.

Both stores are ``MutableMapping[str, bytes]``: a faust table (changelog topic, RocksDB or
memory) in the worker, a dict in-process. Nothing is kept beside them, so a restarted or
rebalanced worker has its state as soon as the changelog is read (the index's slots are
put back from its entries as they are read: nothing is rebuilt by scanning).

The index store (stage ``dedup-index``, partitioned by bucket). Index keys (an exact key's
hash, an LSH band's hash) are grouped into a fixed number of slots, so an item costs a few
bytes in a shared value rather than a table entry per key:

- ``e:<slot>`` → exact-key records (tag 8 B, published 8 B, item 8 B): per tag, the holder,
  the earliest published item with that key (records of items that left are dropped)
- ``b:<slot>`` → band records (tag 4 B, day indexed 2 B, item 8 B): the items sharing a band
- ``i:<item>`` (16 hex digits) → the indexed item: id, published, shingle count, b-bit
  signature, and the slots and tags it wrote (its keys of this partition)
- ``x:<bucket>:<day>:<chunk>`` → the items indexed on a day (the horizon)

Records of items that left the horizon are dropped from a slot whenever it is written; the
``i:`` entries are deleted by the sweep of the horizon (a tombstone on the changelog).

The slots (:data:`DERIVED`) are an index over the ``i:`` entries: the worker keeps them in
memory only and puts each recovered entry back into them (:func:`restore_slots`), so an
item costs one changelog record per partition, not one per key (about 27).

The verdict store (stage ``dedup``, partitioned by item id):

- ``v:<id>`` → the item's :class:`Verdict`, decided once for its (id, content)
- ``p:<id>`` / ``a:<id>`` → an item waiting for its probe answers (:class:`Progress`)

The horizon: an item stays in the index ``horizon_days`` from the day it was indexed (the
time of its record), and two items are compared only when they were published within
``horizon_days`` of each other; so a backfill of last year deduplicates among itself, and a
20-day-old item meets nothing of today.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from workers.dedup.messages import Match
from workers.records import DuplicateKind

Store = MutableMapping[str, bytes]
#: (table name, record key) → the store of the partition the record's key lives on
StoreFor = Callable[[str, str], Store]
DAY = 86_400_000  # ms: times are epoch milliseconds
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
#: items per horizon chunk value
CHUNK = 64

#: the slot records as numpy sees them (bulk loading in the benchmark)
EXACT = np.dtype([("tag", "<u8"), ("published", "<i8"), ("item", "<u8")])
BAND = np.dtype([("tag", "<u4"), ("day", "<u2"), ("item", "<u8")])


def digest(item_id: str) -> int:
    """64 bits that stand for an item id in slot records."""
    return int.from_bytes(hashlib.blake2b(item_id.encode("utf-8"), digest_size=8).digest())


def entry_key(item: int) -> str:
    return f"i:{item:016x}"


@dataclass(frozen=True, order=True)
class Ref:
    """An item as dedup orders it: by (published, id), earliest first."""

    published: int  # epoch ms
    id: str


# ------------------------------------------------------------------------- index store

#: index keys that are not written to the changelog: rebuilt from the ``i:`` entries
DERIVED = ("e:", "b:")

_ENTRY = struct.Struct("<qIHHHH")  # published, size, name bytes, day, exact keys, bands
_KEY = struct.Struct("<IQ")  # slot, tag: an exact key
_BAND_KEY = struct.Struct("<II")  # slot, tag: a band


@dataclass(frozen=True)
class Entry:
    """An indexed item (``i:<item>``): what a match needs to name it and compare with it,
    and what it wrote to the slots (``day`` indexed, ``exact`` and ``bands`` as (slot, tag)),
    so that the slots can be rebuilt from the entries alone."""

    id: str
    published: int
    size: int = 0  # shingles behind ``bits``
    bits: bytes = b""  # b-bit MinHash signature; empty for items matched by exact keys only
    day: int = 0
    exact: tuple[tuple[int, int], ...] = ()
    bands: tuple[tuple[int, int], ...] = ()

    @property
    def ref(self) -> Ref:
        return Ref(self.published, self.id)

    def encode(self) -> bytes:
        name = self.id.encode("utf-8")
        head = _ENTRY.pack(
            self.published, self.size, len(name), self.day, len(self.exact), len(self.bands)
        )
        keys = b"".join(_KEY.pack(*k) for k in self.exact)
        bands = b"".join(_BAND_KEY.pack(*b) for b in self.bands)
        return head + name + keys + bands + self.bits

    @classmethod
    def decode(cls, value: bytes) -> Entry:
        published, size, n, day, n_exact, n_bands = _ENTRY.unpack_from(value)
        at = _ENTRY.size
        name = value[at : at + n].decode("utf-8")
        at += n
        end = at + n_exact * _KEY.size
        exact = tuple(_KEY.iter_unpack(value[at:end]))
        at, end = end, end + n_bands * _BAND_KEY.size
        bands = tuple(_BAND_KEY.iter_unpack(value[at:end]))
        return cls(name, published, size, value[end:], day, exact, bands)


def get_entry(store: Store, item: int) -> Entry | None:
    value = store.get(entry_key(item))
    return None if value is None else Entry.decode(value)


def put_entry(store: Store, entry: Entry) -> None:
    store[entry_key(digest(entry.id))] = entry.encode()


_EXACT = struct.Struct("<QqQ")  # tag, published, item
_BAND = struct.Struct("<IHQ")  # tag, day (since 1970), item


def _find(value: bytes, record: struct.Struct, tag: bytes) -> Iterator[int]:
    """Offsets of the records of ``value`` that start with ``tag`` (a C-speed search)."""
    at = value.find(tag)
    while at >= 0:
        if at % record.size == 0:
            yield at
            at = value.find(tag, at + record.size)
        else:
            at = value.find(tag, at + 1)


def _pruned(value: bytes, record: struct.Struct, field: int, oldest: int) -> bytes:
    """Without the records whose time ``field`` is before ``oldest``. Records are appended
    roughly in time order, so the first one tells whether there is anything to drop."""
    if not value or record.unpack_from(value)[field] >= oldest:
        return value
    return b"".join(record.pack(*r) for r in record.iter_unpack(value) if r[field] >= oldest)


def exact_slot(
    store: Store, slot: int, tag: int, published: int, item: int, alive: Callable[[int], bool]
) -> tuple[int, int] | None:
    """The holder (published, item) of an exact key before ``item`` came, if any; ``item``
    holds the key from now on if it is the earlier one. Records of items no longer in the
    index (``alive`` says no) are dropped."""
    key = f"e:{slot}"
    records = list(_EXACT.iter_unpack(store.get(key, b"")))
    live = [r for r in records if alive(r[2])]
    holder = next(((when, who) for t, when, who in live if t == tag), None)
    if holder is None or (published, item) < holder:
        live = [r for r in live if r[0] != tag]
        live.append((tag, published, item))
    if live != records:
        _write(store, key, b"".join(_EXACT.pack(*r) for r in live))
    return holder


def band_slot(
    store: Store, slot: int, tag: int, day: int, item: int, oldest_day: int, cap: int
) -> list[int]:
    """The other items in a band (indexed since ``oldest_day``), and ``item`` joins it (on
    ``day``) unless the band is full: a band that ``cap`` items share is boilerplate, not a
    story."""
    key = f"b:{slot}"
    stored = store.get(key, b"")
    value = _pruned(stored, _BAND, 1, oldest_day)
    members = []
    for at in _find(value, _BAND, tag.to_bytes(4, "little")):
        _, when, who = _BAND.unpack_from(value, at)
        if when >= oldest_day:
            members.append(who)
    others = [i for i in members if i != item]
    if len(others) == len(members) and len(members) < cap:
        value += _BAND.pack(tag, day, item)
    if value is not stored:
        _write(store, key, value)
    return others


def restore_slots(store: Store, entry: Entry, max_band_members: int) -> None:
    """Put a recovered item back into the slots it wrote (the worker's changelog holds the
    entries, not the slots). Idempotent: an item already in a slot stays there once."""
    item = digest(entry.id)

    def alive(other: int) -> bool:
        return entry_key(other) in store

    for slot, tag in entry.exact:
        exact_slot(store, slot, tag, entry.published, item, alive)
    for slot, tag in entry.bands:
        band_slot(store, slot, tag, entry.day, item, 0, max_band_members)


def _write(store: Store, key: str, value: bytes) -> None:
    if value:
        store[key] = value
    else:
        store.pop(key, None)


# ----------------------------------------------------------------------- verdict store


@dataclass(frozen=True)
class Verdict:
    """What dedup decided for an item: unique (``kind`` None, head of ``cluster``) or a copy.

    ``version`` is the item's version on the output; it rises when the verdict is corrected
    (an earlier copy arrived) or the same id came back with another text (an update).
    ``members`` are the copies that point at this head, so they can be corrected too.
    """

    id: str
    version: int
    content_hash: str
    processed_at: datetime
    published: int
    cluster: str
    kind: DuplicateKind | None = None
    of: str | None = None
    similarity: float = 1.0
    of_published: int = 0
    url: str | None = None
    title: str = ""
    members: tuple[str, ...] = field(default=())

    @property
    def ref(self) -> Ref:
        return Ref(self.published, self.id)

    @property
    def is_head(self) -> bool:
        return self.kind is None

    @property
    def head(self) -> Ref:
        """The earliest copy this item knows of: itself when it is a head."""
        return self.ref if self.of is None else Ref(self.of_published, self.of)

    def with_member(self, member: str, limit: int) -> Verdict:
        if member in self.members or len(self.members) >= limit:
            return self
        return replace(self, members=(*self.members, member))

    def encode(self) -> bytes:
        """A JSON array (no field names: a verdict per item adds up)."""
        data: list[object] = [
            self.version,
            self.content_hash[:16],
            (self.processed_at - EPOCH) // MICROSECOND,
            self.published,
            None if self.cluster == self.id else self.cluster,
            self.url,
            self.title,
        ]
        if self.kind is not None or self.members:
            data += [self.kind, self.of, self.similarity, self.of_published, list(self.members)]
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def decode(cls, item_id: str, value: bytes) -> Verdict:
        version, chash, at, published, cluster, url, title, *rest = json.loads(value)
        kind, of, similarity, of_published, members = rest or (None, None, 1.0, 0, [])
        return cls(
            id=item_id,
            version=version,
            content_hash=chash,
            processed_at=EPOCH + at * MICROSECOND,
            published=published,
            cluster=cluster or item_id,
            kind=kind,
            of=of,
            similarity=similarity,
            of_published=of_published,
            url=url,
            title=title,
            members=tuple(members),
        )

    def same_content(self, content_hash: str) -> bool:
        """Whether a text with this hash is the one decided (a seeded copy has no hash)."""
        return not self.content_hash or content_hash.startswith(self.content_hash)


def get_verdict(store: Store, item_id: str) -> Verdict | None:
    value = store.get(f"v:{item_id}")
    return None if value is None else Verdict.decode(item_id, value)


def put_verdict(store: Store, verdict: Verdict) -> None:
    store[f"v:{verdict.id}"] = verdict.encode()


@dataclass(frozen=True)
class Progress:
    """An item waiting for the answers to its probes: which buckets answered, what matched."""

    attempt: int  # the item version the probes were sent for
    expected: int  # buckets probed
    content_hash: str = ""
    got: frozenset[int] = frozenset()
    matches: tuple[Match, ...] = ()

    def encode(self) -> bytes:
        return json.dumps(
            {
                "a": self.attempt,
                "e": self.expected,
                "h": self.content_hash,
                "g": sorted(self.got),
                "m": [[m.id, m.published, m.kind, m.similarity] for m in self.matches],
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def decode(cls, value: bytes) -> Progress:
        d = json.loads(value)
        matches = tuple(
            Match.model_construct(id=i, published=p, kind=k, similarity=s) for i, p, k, s in d["m"]
        )
        return cls(d["a"], d["e"], d["h"], frozenset(d["g"]), matches)


def get_progress(store: Store, item_id: str) -> Progress | None:
    value = store.get(f"a:{item_id}")
    return None if value is None else Progress.decode(value)


def put_progress(store: Store, item_id: str, progress: Progress) -> None:
    store[f"a:{item_id}"] = progress.encode()


# ------------------------------------------------------------------------------ horizon


MEMBER = struct.Struct("<Q?")  # item, flag


class Expiry:
    """The horizon of one namespace of a store: items by the day they came, dropped when out.

    ``register`` notes an item (and a flag) under a day, in chunks of :data:`CHUNK`
    (``x:<ns>:<day>:<n>``, counted by ``xn:<ns>:<day>``); ``sweep`` hands at most ``limit``
    chunks of the days before ``cutoff_day`` to ``drop`` and deletes them. The cursor
    (``xd:<ns>``, the oldest day still held) lives in the store too, so a restarted worker
    goes on where the last one stopped. A namespace must be written from one partition only
    (the index uses one per bucket).
    """

    def __init__(self, store: Store, namespace: str) -> None:
        self.store = store
        self.ns = namespace

    def _int(self, key: str) -> int | None:
        value = self.store.get(key)
        return None if value is None else int(value)

    def register(self, day: int, member: int, flag: bool = False) -> None:
        count_key = f"xn:{self.ns}:{day}"
        n = self._int(count_key) or 0
        key = f"x:{self.ns}:{day}:{n // CHUNK}"
        self.store[key] = self.store.get(key, b"") + MEMBER.pack(member, flag)
        self.store[count_key] = str(n + 1).encode()
        oldest = self._int(f"xd:{self.ns}")
        if oldest is None or day < oldest:
            self.store[f"xd:{self.ns}"] = str(day).encode()

    def sweep(self, cutoff_day: int, limit: int, drop: Callable[[int, bool], None]) -> int:
        """Drop the members of up to ``limit`` chunks of days before ``cutoff_day``."""
        dropped = 0
        while dropped < limit:
            day = self._int(f"xd:{self.ns}")
            if day is None or day >= cutoff_day:
                break
            count = self._int(f"xn:{self.ns}:{day}") or 0
            chunk = next(
                (
                    c
                    for c in range((count + CHUNK - 1) // CHUNK)
                    if f"x:{self.ns}:{day}:{c}" in self.store
                ),
                None,
            )
            if chunk is None:  # the day is done: on to the next one
                self.store.pop(f"xn:{self.ns}:{day}", None)
                self.store[f"xd:{self.ns}"] = str(day + 1).encode()
                continue
            for member, flag in MEMBER.iter_unpack(self.store.pop(f"x:{self.ns}:{day}:{chunk}")):
                drop(member, flag)
            dropped += 1
        return dropped
