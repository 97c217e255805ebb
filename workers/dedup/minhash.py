"""MinHash signatures, LSH band keys and compact sketches, with one shared set of permutations.

A signature is the minimum of ``num_perm`` universal hash functions (multiply-add-shift over
64 bits) over an item's shingle hashes. Two things are kept of it:

- band hashes: ``bands`` groups of ``rows`` values, each hashed to 64 bits. Two items that
  share a band hash are candidates (LSH); the hash says nothing else, so it routes well.
- a sketch: the low 8 bits of every value (b-bit MinHash), ``num_perm`` bytes. Two sketches
  agree on a position with probability J + (1 - J) / 256, which gives back J (the Jaccard
  similarity of the shingle sets) without storing the 32-bit values.

The permutations are derived from ``seed`` alone: every worker, restart and replay computes
the same signature for the same text, and nothing about them is stored per item.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import numpy as np

SKETCH_BITS = 8
_CHANCE = 1.0 / (1 << SKETCH_BITS)


@dataclass(frozen=True)
class Permutations:
    a: np.ndarray  # (num_perm, 1) odd uint64 multipliers
    b: np.ndarray  # (num_perm, 1) uint64 offsets


@cache
def permutations(num_perm: int, seed: int) -> Permutations:
    """The one permutation array of a (num_perm, seed): computed once per process."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**63, size=(num_perm, 1), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=(num_perm, 1), dtype=np.uint64)
    return Permutations(a, b)


def signature(shingles: np.ndarray, perms: Permutations) -> np.ndarray:
    """uint32 MinHash values, one per permutation; ``shingles`` must not be empty."""
    with np.errstate(over="ignore"):  # arithmetic mod 2**64 is the hash
        hashed = (perms.a * shingles[None, :] + perms.b) >> np.uint64(32)
    return hashed.min(axis=1).astype(np.uint32)


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> list[int]:
    """One 64-bit hash per band; the band's number is hashed in, so bands never collide."""
    hashes = []
    for i in range(bands):
        digest = hashlib.blake2b(sig[i * rows : (i + 1) * rows].tobytes(), digest_size=8)
        digest.update(bytes([i]))
        hashes.append(int.from_bytes(digest.digest(), "little"))
    return hashes


def sketch(sig: np.ndarray) -> bytes:
    return (sig & ((1 << SKETCH_BITS) - 1)).astype(np.uint8).tobytes()


def jaccard(a: bytes, b: bytes) -> float:
    """The Jaccard similarity two sketches estimate (0 when they share only chance agreements)."""
    agree = np.count_nonzero(np.frombuffer(a, np.uint8) == np.frombuffer(b, np.uint8)) / len(a)
    return max(0.0, (agree - _CHANCE) / (1 - _CHANCE))


def containment(j: float, size_a: int, size_b: int) -> float:
    """How much of the smaller set the larger holds, from J and the set sizes."""
    if j <= 0 or not size_a or not size_b:
        return 0.0
    shared = j * (size_a + size_b) / (1 + j)
    return min(1.0, shared / min(size_a, size_b))


def shared(j: float, size_a: int, size_b: int) -> float:
    """The estimated number of shingles two sets share."""
    return j * (size_a + size_b) / (1 + j) if j > 0 else 0.0
