"""The live view: duplicates under their original, topic ids beside labels, the status line."""

from __future__ import annotations

from tests.unit.dashboard.test_state import LABELS, duplicate, enriched
from workers.cli.up import Tally, status_line
from workers.cli.view import LiveOrder, render_enriched
from workers.poller.run import PollReport


def texts(rendered: list) -> list[str]:
    return [r.plain for r in rendered]


def test_a_duplicate_that_comes_first_waits_for_its_original() -> None:
    order = LiveOrder(wait=5.0)
    assert order.add(duplicate("d1", of="a"), now=0.0) == []
    out = texts(order.add(enriched("a", ["kursk"], []), now=1.0))
    assert out[0].startswith("✔ Titel a")
    assert out[1].startswith("    ≡ Kopie von a  · zeitung.de")  # right under it, indented
    assert "duplicate of the item above" in out[1]
    later = texts(order.add(duplicate("d2", of="a"), now=2.0))
    assert later[0].startswith("    ≡ Kopie von a")


def test_a_duplicate_whose_original_never_comes_shows_alone_after_the_wait() -> None:
    order = LiveOrder(wait=5.0)
    order.add(duplicate("d1", of="old"), now=0.0)
    assert order.due(now=4.0) == []
    late = texts(order.due(now=5.0))
    assert len(late) == 1 and late[0].startswith("≡ Kopie von old")
    assert "duplicate of old" in late[0]
    assert order.due(now=10.0) == []


def test_topics_show_label_and_the_id_subscribe_takes() -> None:
    line = render_enriched(enriched("a", ["kursk"], [])).plain
    assert f"{LABELS['kursk']} [kursk] 0.9" in line


def test_the_status_line_counts_and_says_when_the_next_poll_is() -> None:
    tally = Tally()
    for item_id in "abc":
        tally.add(enriched(item_id, ["kursk"], []))
    assert status_line(tally, None, None, 0.0).endswith("first poll running…")
    report = PollReport(feeds=1, published=20, known=2)
    report.failed["timeout"] = 1
    line = status_line(tally, report, next_poll=400.0, now=100.0)
    assert line == (
        "enriched 3 · duplicates 0 · rejected 0 · last poll: 20 new, 2 known, 1 failed"
        " · next poll in 5:00"
    )


def test_once_sums_up_after_a_quiet_moment_and_counts_a_corrected_copy_once() -> None:
    tally = Tally()
    tally.add(enriched("copy", [], []))  # decided before its original: enriched first
    tally.add(enriched("original", [], []))
    wanted = {"copy", "original"}
    assert not tally.settled(wanted, quiet=60.0)  # every item seen, but a correction may come
    tally.add(duplicate("copy", of="original").model_copy(update={"version": 2}))
    assert tally.settled(wanted, quiet=0.0)
    assert tally.enriched == 1 and sum(tally.duplicates.values()) == 1
