"""The dedup stage: clean item in, unique item or duplicate out.

The index lives in a key-value store (a faust table backed by a changelog
topic in the worker, a dict in ``lagebild enrich``):

- ``url:<normalized url>`` and ``text:<content hash>`` → first item id and cluster
- ``mh:<id>`` → MinHash signature, to rebuild the near-duplicate index on start
- ``item:<id>`` → the verdict for (id, version), so processing a record twice
  yields the same output, ``processed_at`` included
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from workers.dedup.fingerprint import content_hash
from workers.dedup.minhash import NearDuplicateIndex
from workers.identity import normalize_url
from workers.records import CleanItem, DedupInfo, Duplicate, UniqueItem
from workers.settings import DedupSettings


class DedupIndex:
    def __init__(self, store: MutableMapping[str, Any], settings: DedupSettings) -> None:
        self.store = store
        self.settings = settings
        self._near: NearDuplicateIndex | None = None

    @property
    def near(self) -> NearDuplicateIndex:
        if self._near is None:
            self._near = NearDuplicateIndex(self.settings)
            for key, value in list(self.store.items()):
                if key.startswith("mh:"):
                    self._near.add_stored(key[3:], value)
        return self._near

    def reset(self) -> None:
        """Forget the in-memory LSH (after a rebalance the store may hold other items)."""
        self._near = None


def dedup(item: CleanItem, index: DedupIndex, now: datetime) -> UniqueItem | Duplicate:
    store = index.store
    prior = store.get(f"item:{item.id}")
    if prior is not None and prior["version"] == item.version:
        return _outcome(item, prior)

    body = item.text or item.title
    chash = content_hash(body)
    url_keys = {f"url:{normalize_url(u)}" for u in (item.url, item.canonical_url) if u}
    verdict: dict[str, Any] = {
        "version": item.version,
        "processed_at": now.isoformat(),
        "hash": chash,
        "kind": None,
        "of": None,
        "similarity": 1.0,
    }

    first = next(
        (store[k] for k in sorted(url_keys) if k in store and store[k]["id"] != item.id), None
    )
    kind = "url"
    if first is None and f"text:{chash}" in store and store[f"text:{chash}"]["id"] != item.id:
        first, kind = store[f"text:{chash}"], "text"
    sig = index.near.signature(body)
    if first is None and sig is not None:
        match = index.near.best_match(sig, exclude=item.id)
        if match is not None:
            first = store[f"item:{match[0]}"] | {"id": match[0]}
            kind, verdict["similarity"] = "near", round(match[1], 4)

    if first is not None:
        verdict |= {"kind": kind, "of": first["id"], "cluster": first["cluster"]}
    else:
        cluster = prior["cluster"] if prior else item.id
        verdict["cluster"] = cluster
        entry = {"id": item.id, "cluster": cluster}
        for key in (*url_keys, f"text:{chash}"):
            store.setdefault(key, entry)
        if sig is not None:
            store[f"mh:{item.id}"] = [int(v) for v in sig.hashvalues]
            index.near.add(item.id, sig)
    store[f"item:{item.id}"] = verdict
    return _outcome(item, verdict)


def _outcome(item: CleanItem, verdict: dict[str, Any]) -> UniqueItem | Duplicate:
    processed_at = datetime.fromisoformat(verdict["processed_at"])
    if verdict["kind"] is None:
        return UniqueItem(
            **item.model_dump(exclude={"schema_version"}),
            dedup=DedupInfo(content_hash=verdict["hash"], cluster_id=verdict["cluster"]),
            processed_at=processed_at,
        )
    return Duplicate(
        id=item.id,
        version=item.version,
        duplicate_of=verdict["of"],
        kind=verdict["kind"],
        similarity=verdict["similarity"],
        cluster_id=verdict["cluster"],
        url=item.url,
        title=item.title,
        processed_at=processed_at,
    )
