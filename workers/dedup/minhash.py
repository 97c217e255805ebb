"""Near-duplicate search: MinHash signatures of word shingles in an LSH index (datasketch)."""

from __future__ import annotations

from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

from workers.dedup.fingerprint import words
from workers.settings import DedupSettings

#: Stored signatures are only comparable under the scheme that made them: fix it.
SCHEME = "affine32"


def shingles(text: str, size: int) -> set[str]:
    tokens = words(text)
    return {" ".join(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 0))}


class NearDuplicateIndex:
    """An in-memory LSH over MinHash signatures, rebuilt from stored signatures on start."""

    def __init__(self, settings: DedupSettings) -> None:
        self.settings = settings
        self.lsh = MinHashLSH(threshold=settings.near_threshold, num_perm=settings.num_perm)
        self.signatures: dict[str, MinHash] = {}

    def signature(self, text: str) -> MinHash | None:
        """None when the text is too short for near-duplicate detection to mean anything."""
        grams = shingles(text, self.settings.shingle_words)
        if len(grams) < self.settings.min_shingles:
            return None
        mh = MinHash(num_perm=self.settings.num_perm, seed=1, scheme=SCHEME)
        mh.update_batch([g.encode("utf-8") for g in grams])
        return mh

    def add(self, key: str, sig: MinHash) -> None:
        if key not in self.signatures:
            self.lsh.insert(key, sig)
            self.signatures[key] = sig

    def add_stored(self, key: str, hashvalues: Iterable[int]) -> None:
        mh = MinHash(
            num_perm=self.settings.num_perm, seed=1, hashvalues=list(hashvalues), scheme=SCHEME
        )
        self.add(key, mh)

    def best_match(self, sig: MinHash, exclude: str) -> tuple[str, float] | None:
        """The most similar stored item at or above the threshold, other than ``exclude``."""
        best: tuple[str, float] | None = None
        for key in self.lsh.query(sig):
            if key == exclude:
                continue
            score = sig.jaccard(self.signatures[key])
            if score >= self.settings.near_threshold and (best is None or score > best[1]):
                best = (key, score)
        return best
