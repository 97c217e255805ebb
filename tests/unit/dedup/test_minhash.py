from __future__ import annotations

import numpy as np

from workers.dedup.minhash import (
    band_hashes,
    containment,
    jaccard,
    permutations,
    shared,
    signature,
    sketch,
)


def sig(values: range) -> np.ndarray:
    return signature(np.array(list(values), dtype=np.uint64), permutations(128, 1))


def test_sketch_estimates_jaccard() -> None:
    a, b = range(0, 1000), range(500, 1500)  # J = 500 / 1500
    estimate = jaccard(sketch(sig(a)), sketch(sig(b)))
    assert abs(estimate - 1 / 3) < 0.1
    assert jaccard(sketch(sig(a)), sketch(sig(a))) == 1.0
    assert jaccard(sketch(sig(range(0, 1000))), sketch(sig(range(5000, 6000)))) < 0.05


def test_sketch_is_one_byte_per_permutation() -> None:
    assert len(sketch(sig(range(100)))) == 128


def test_permutations_are_shared_and_fixed_by_seed() -> None:
    assert permutations(128, 1) is permutations(128, 1)
    assert not np.array_equal(permutations(128, 1).a, permutations(128, 2).a)


def test_equal_sets_share_every_band_and_distinct_sets_none() -> None:
    a, b = band_hashes(sig(range(300)), 24, 3), band_hashes(sig(range(300)), 24, 3)
    assert a == b and len(set(a)) == 24
    c = band_hashes(sig(range(10_000, 10_300)), 24, 3)
    assert not set(a) & set(c)


def test_containment_sees_a_truncation() -> None:
    j = 100 / 300  # the first 100 of 300 shingles
    assert containment(j, 100, 300) > 0.99
    assert abs(shared(j, 100, 300) - 100) < 1e-6
    assert containment(0.0, 100, 300) == 0.0
