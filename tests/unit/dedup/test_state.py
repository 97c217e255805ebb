from __future__ import annotations

from datetime import UTC, datetime

from workers.dedup.state import (
    CHUNK,
    Entry,
    Expiry,
    Verdict,
    band_slot,
    exact_slot,
    get_verdict,
    put_verdict,
)

AT = datetime(2025, 3, 3, 6, 0, 0, 123456, tzinfo=UTC)


def test_verdicts_round_trip_through_bytes() -> None:
    head = Verdict(
        "a", 2, "f" * 64, AT, 1000, "a", url="https://x.example/ä", title="Ä", members=("b",)
    )
    copy = Verdict("b", 1, "e" * 16, AT, 2000, "a", "near", "a", 0.8123, 1000, None, "")
    store: dict[str, bytes] = {}
    for v in (head, copy):
        put_verdict(store, v)
    assert get_verdict(store, "b") == copy
    back = get_verdict(store, "a")
    assert back is not None and back.content_hash == "f" * 16  # stored short, compared by prefix
    assert back.same_content("f" * 64) and not back.same_content("0" * 64)
    assert back.processed_at == AT and back.members == ("b",) and back.is_head
    assert len(store["v:a"]) < 120


def test_entries_round_trip() -> None:
    entry = Entry("id-ü", 1_700_000_000_000, 300, bytes(range(128)))
    assert Entry.decode(entry.encode()) == entry
    keys = {"exact": ((7, 2**63 + 5),), "bands": ((9, 4), (1, 2))}
    keyed = Entry("x", 1, 3, b"\x01\x02", day=19_700, **keys)
    assert Entry.decode(keyed.encode()) == keyed


def test_the_earliest_published_item_holds_an_exact_key() -> None:
    store: dict[str, bytes] = {}
    gone: set[int] = set()

    def alive(item: int) -> bool:
        return item not in gone

    assert exact_slot(store, 7, 42, 2000, 1, alive) is None
    assert exact_slot(store, 7, 42, 3000, 2, alive) == (2000, 1)  # later: sees the holder
    assert exact_slot(store, 7, 42, 1000, 3, alive) == (2000, 1)  # earlier: takes over
    assert exact_slot(store, 7, 42, 4000, 4, alive) == (1000, 3)
    assert exact_slot(store, 7, 99, 4000, 5, alive) is None  # another key in the slot
    gone.update({3, 5})  # they left the index
    assert exact_slot(store, 7, 42, 9000, 6, alive) is None
    assert len(store["e:7"]) == 24  # only 6 holds anything: records of gone items dropped


def test_band_members_and_the_boilerplate_cap() -> None:
    store: dict[str, bytes] = {}
    assert band_slot(store, 1, 5, 100, 1, oldest_day=0, cap=3) == []
    assert band_slot(store, 1, 5, 100, 2, oldest_day=0, cap=3) == [1]
    assert band_slot(store, 1, 5, 100, 2, oldest_day=0, cap=3) == [1]  # again: not twice
    assert band_slot(store, 1, 5, 100, 3, oldest_day=0, cap=3) == [1, 2]
    assert band_slot(store, 1, 5, 100, 4, oldest_day=0, cap=3) == [1, 2, 3]
    assert band_slot(store, 1, 5, 100, 5, oldest_day=0, cap=3) == [1, 2, 3]  # full: 4 not in
    assert band_slot(store, 1, 5, 200, 6, oldest_day=150, cap=3) == []  # all expired


def test_horizon_sweeps_in_bounded_steps_and_resumes_from_the_store() -> None:
    store: dict[str, bytes] = {}
    expiry = Expiry(store, "b0")
    for n in range(3 * CHUNK):
        expiry.register(10, n, flag=n == 0)
    expiry.register(12, 999)
    dropped: list[tuple[int, bool]] = []
    assert expiry.sweep(11, 1, lambda m, f: dropped.append((m, f))) == 1
    assert dropped[0] == (0, True) and len(dropped) == CHUNK
    again = Expiry(store, "b0")  # a restarted worker: the cursor is in the store
    assert again.sweep(11, 10, lambda m, f: dropped.append((m, f))) == 2
    assert sorted(m for m, _ in dropped) == list(range(3 * CHUNK))
    assert again.sweep(11, 10, lambda m, f: dropped.append((m, f))) == 0
    assert not any(k.startswith(("x:b0:10", "xn:b0:10")) for k in store)
    assert "x:b0:12:0" in store  # not out of the horizon yet
