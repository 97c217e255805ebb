from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tests.conftest import assert_valid
from tests.unit.dedup.partitions import heads, run_partitioned
from workers.dedup.stage import DedupIndex, decide, dedup, index
from workers.records import CleanItem, Duplicate, EnrichedItem, Lang, UniqueItem, utcnow
from workers.settings import DedupSettings

PARAGRAPHS = [
    f"Absatz {n}: Die ukrainischen Streitkräfte meldeten am Morgen Geländegewinne im Süden, "
    f"während die Lage an der Front im Osten nach Angaben des Generalstabs angespannt blieb {n}."
    for n in range(5)
]
BODY = "\n\n".join(PARAGRAPHS)


def item(
    item_id: str,
    text: str = BODY,
    url: str | None = None,
    version: int = 1,
    canonical: str | None = None,
) -> CleanItem:
    return CleanItem(
        id=item_id,
        version=version,
        url=url or f"https://a.example/{item_id}",
        title=f"Titel {item_id}",
        text=text,
        fetched_at=utcnow(),
        run_id="r",
        lang=Lang(code="de", confidence=1.0),
        canonical_url=canonical,
    )


def fresh() -> DedupIndex:
    return DedupIndex({}, DedupSettings())


def test_first_item_is_unique_and_its_own_cluster() -> None:
    out = dedup(item("a"), fresh(), utcnow())
    assert isinstance(out, UniqueItem)
    assert out.dedup.cluster_id == "a"
    assert_valid("unique", out.model_dump(mode="json"))


def test_same_text_under_another_url_is_a_text_duplicate() -> None:
    index = fresh()
    dedup(item("a"), index, utcnow())
    retyped = BODY.replace("Absatz", "ABSATZ").replace(", ", " , ")
    out = dedup(item("b", text=retyped), index, utcnow())
    assert isinstance(out, Duplicate)
    assert (out.kind, out.duplicate_of, out.cluster_id, out.similarity) == ("text", "a", "a", 1.0)
    assert_valid("duplicate", out.model_dump(mode="json"))


def test_canonical_url_of_a_known_item_is_a_url_duplicate() -> None:
    index = fresh()
    dedup(item("a", url="https://a.example/story"), index, utcnow())
    out = dedup(
        item(
            "b",
            text="ganz anderer Text " * 20,
            url="https://m.a.example/amp/story",
            canonical="https://www.a.example/story?utm_source=x",
        ),
        index,
        utcnow(),
    )
    assert isinstance(out, Duplicate) and out.kind == "url" and out.duplicate_of == "a"


def test_agency_copy_with_a_new_first_paragraph_is_a_near_duplicate() -> None:
    index = fresh()
    dedup(item("a"), index, utcnow())
    copy = "\n\n".join(
        ["Kyjiw (dpa) – Ein völlig neu geschriebener Einstieg der Agentur.", *PARAGRAPHS[1:]]
    )
    out = dedup(item("b", text=copy), index, utcnow())
    assert isinstance(out, Duplicate) and out.kind == "near" and out.duplicate_of == "a"
    assert 0.5 <= out.similarity < 1.0


def test_unrelated_text_is_unique() -> None:
    index = fresh()
    dedup(item("a"), index, utcnow())
    other = "\n\n".join(
        f"Der Bundesligist gewann am Samstag sein Heimspiel {n} klar und "
        f"verbesserte sich in der Tabelle auf Rang {n}."
        for n in range(5)
    )
    assert isinstance(dedup(item("b", text=other), index, utcnow()), UniqueItem)


def test_processing_twice_yields_the_same_record() -> None:
    index = fresh()
    a, b = item("a"), item("b")
    first = dedup(a, index, utcnow())
    dup = dedup(b, index, utcnow())
    assert dedup(a, index, utcnow() + timedelta(hours=1)) == first  # processed_at included
    assert dedup(b, index, utcnow() + timedelta(hours=1)) == dup
    assert isinstance(dup, Duplicate) and dup.duplicate_of == "a"


def test_new_version_is_evaluated_again_and_keeps_its_cluster() -> None:
    index = fresh()
    dedup(item("a"), index, utcnow())
    out = dedup(
        item("a", text=BODY + "\n\nKorrektur: ein Absatz mehr.", version=2), index, utcnow()
    )
    assert isinstance(out, UniqueItem) and out.version == 2 and out.dedup.cluster_id == "a"


def test_index_survives_a_restart_through_its_store() -> None:
    store: dict = {}
    dedup(item("a"), DedupIndex(store, DedupSettings()), utcnow())
    copy = "\n\n".join(["Ganz neuer Einstieg der Agenturmeldung heute.", *PARAGRAPHS[1:]])
    out = dedup(item("b", text=copy), DedupIndex(store, DedupSettings()), utcnow())
    assert isinstance(out, Duplicate) and out.kind == "near"


# ------------------------------------------------------------------ copies and non-copies

T0 = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)


def at(item_id: str, published: datetime, text: str = BODY, title: str = "", **kw) -> CleanItem:
    return item(item_id, text=text, **kw).model_copy(
        update={"published_at": published, "title": title or f"Titel {item_id}"}
    )


def run(index: DedupIndex, *items: CleanItem, now: datetime = T0) -> list:
    out = []
    for i in items:
        out += index.run(i, now)
    return out


def test_headline_only_items_compare_titles_without_marks() -> None:
    index = fresh()
    head = at("a", T0, text="", title="Kiew meldet Geländegewinne im Süden")
    copy = at(
        "b", T0 + timedelta(hours=1), text="", title="dpa: Kiew meldet Geländegewinne im Süden"
    )
    ticker = at(
        "c",
        T0 + timedelta(hours=2),
        text="",
        title="+++ Liveblog +++ Kiew meldet Geländegewinne im Süden",
    )
    other = at("d", T0 + timedelta(hours=3), text="", title="Kiew meldet Verluste im Osten")
    out = {o.id: o for o in run(index, head, copy, ticker, other)}
    assert isinstance(out["b"], Duplicate) and out["b"].duplicate_of == "a"
    assert isinstance(out["c"], Duplicate) and out["c"].duplicate_of == "a"
    assert isinstance(out["d"], UniqueItem)


def test_stubs_sharing_one_boilerplate_sentence_are_not_one_story() -> None:
    shared = (
        "Weitere Informationen zu dieser Meldung liegen der Redaktion derzeit noch nicht vor, "
        "wir berichten weiter, sobald neue Details bekannt werden."
    )
    notice = "Dieser Artikel ist leider nicht mehr verfügbar. Die Inhalte wurden depubliziert."
    items = [
        at("s1", T0, f"Der Bundestag hat den Haushalt für das kommende Jahr beschlossen. {shared}"),
        at("s2", T0, f"In Hamburg ist ein Frachtschiff im Hafen auf Grund gelaufen. {shared}"),
        at("n1", T0, notice, title="Staatsstreich in Togo"),
        at("n2", T0, notice, title="Oderhochwasser erreicht Brandenburg"),
    ]
    assert all(isinstance(o, UniqueItem) for o in run(fresh(), *items))


def test_a_truncated_copy_is_a_copy() -> None:
    index = fresh()
    short = "\n\n".join(PARAGRAPHS[:2])
    out = run(index, at("a", T0), at("b", T0 + timedelta(hours=1), short))
    assert isinstance(out[-1], Duplicate) and out[-1].duplicate_of == "a"


def test_an_earlier_copy_arriving_later_becomes_the_head_and_corrects_the_others() -> None:
    index = fresh()
    first = at("a", T0 + timedelta(hours=2))
    copy = at("b", T0 + timedelta(hours=3), BODY.replace("Süden", "Sueden"))
    run(index, first, copy)
    earlier = at("c", T0, BODY + "\n\nEin Satz mehr, den die Agentur später gestrichen hat.")
    out = run(index, earlier)
    assert isinstance(out[0], UniqueItem) and out[0].id == "c"
    corrected = {o.id: o for o in out[1:]}
    assert set(corrected) == {"a", "b"}
    for o in corrected.values():
        assert isinstance(o, Duplicate) and o.duplicate_of == "c" and o.cluster_id == "c"
    assert corrected["a"].version == 2  # was the head (version 1): corrected
    assert corrected["b"].version == 2
    # the corrected verdicts are stored: a record processed again yields its last version
    assert index.run(first, T0) == [corrected["a"]]


def test_the_same_url_with_another_text_is_an_update() -> None:
    index = fresh()
    run(index, at("a", T0))
    out = run(index, at("a", T0, BODY + "\n\nKorrektur: Ein Absatz wurde ergänzt."))
    assert isinstance(out[0], UniqueItem) and out[0].version == 2
    assert out[0].dedup.cluster_id == "a"


def test_the_horizon_items_leave_the_index_and_far_apart_ones_are_not_compared() -> None:
    index = fresh()
    run(index, at("a", T0))
    assert "v:a" in index.store and len([k for k in index.store if k.startswith("i:")]) == 1
    far = at("f", T0 + timedelta(days=20), BODY)  # a's text, published 20 days later
    assert isinstance(run(index, far, now=T0)[0], UniqueItem)  # too far apart to compare
    # 15 days on, the index sweeps a (its entry, and its verdict by a forget signal) and f
    later = T0 + timedelta(days=15)
    other = "\n\n".join(f"Ganz andere Nachricht {n} vom Tag, mit eigenen Worten." for n in range(6))
    run(index, at("z", later, other), now=later)
    assert "v:a" not in index.store and "v:f" not in index.store
    assert len([k for k in index.store if k.startswith("i:")]) == 1  # z alone
    copy = at("c", T0 + timedelta(hours=1), BODY)  # a copy of a, which has left
    assert isinstance(run(index, copy, now=later)[0], UniqueItem)


def test_redelivered_probes_and_answers_change_nothing() -> None:
    store: dict = {}
    s = DedupSettings()
    a, b = at("a", T0), at("b", T0 + timedelta(hours=1))
    index_once = DedupIndex(store, s)
    index_once.run(a, T0)
    probes_b = [e.record for e in decide(b, store, s, T0, 4)]
    answers = [e for p in probes_b for e in index(p, store, s, T0)]
    assert [e.record for p in probes_b for e in index(p, store, s, T0)] == [
        e.record for e in answers
    ]  # the same probe again: the same answer
    outcomes = [o for e in answers for o in decide(e.record, store, s, T0, 4)]
    assert [o.record.id for o in outcomes if isinstance(o.record, Duplicate)] == ["b"]
    assert all(decide(e.record, store, s, T0, 4) == [] for e in answers)  # decided once


def test_partitions_do_not_change_the_verdicts() -> None:
    rng = random.Random(3)
    vocabulary = [f"wort{n}" for n in range(3000)]
    items = []
    for story in range(8):
        sentences = [" ".join(rng.choices(vocabulary, k=14)) + "." for _ in range(12)]
        base = T0 + timedelta(hours=story)
        versions = [
            sentences,
            sentences[:7],  # truncated
            ["Berlin (dpa) - Eine ganz andere Einleitung der Agentur.", *sentences[2:]],
            [sentences[1], sentences[0], *sentences[2:]],  # swapped
        ]
        for n, body in enumerate(versions):
            published = base + timedelta(minutes=rng.randint(0, 300))
            items.append(at(f"x{story}-{n}", published, " ".join(body)))
    items.sort(key=lambda i: rng.random())
    s = DedupSettings()
    one = heads(run_partitioned(items, 1, s, T0 + timedelta(days=1)))
    for seed in range(3):
        four = heads(run_partitioned(items, 4, s, T0 + timedelta(days=1), seed, redeliver=0.1))
        assert four == one
    by_story = {}
    for i, head in one.items():
        by_story.setdefault(i.split("-")[0], set()).add(head)
    assert all(len(h) == 1 for h in by_story.values())  # one head per story
    earliest = {
        story: min((x for x in items if x.id.startswith(story + "-")), key=lambda x: x.published_at)
        for story in by_story
    }
    assert all(by_story[s_] == {earliest[s_].id} for s_ in by_story)  # the earliest published


def test_replay_seeds_verdicts_from_terminal_records() -> None:
    live = fresh()
    head, copy = at("a", T0), at("b", T0 + timedelta(hours=1))
    unique = live.run(head, T0)[0]
    dup = live.run(copy, T0)[0]
    assert isinstance(unique, UniqueItem) and isinstance(dup, Duplicate)
    enriched = EnrichedItem(
        **unique.model_dump(exclude={"schema_version"}), pipeline_version="test"
    )
    replay = fresh()  # what replay does: a new index, seeded from the terminal records
    replay.seed(enriched)
    replay.seed(dup)
    later = T0 + timedelta(days=1)
    assert replay.run(head, later) == [unique]  # the same verdict, processed_at and all
    assert replay.run(copy, later) == [dup]
    third = replay.run(at("c", T0 + timedelta(hours=2)), later)[0]
    assert isinstance(third, Duplicate) and third.duplicate_of == "a"  # a is indexed again
