from __future__ import annotations

from datetime import timedelta

from tests.conftest import assert_valid
from workers.dedup.stage import DedupIndex, dedup
from workers.records import CleanItem, Duplicate, Lang, UniqueItem, utcnow
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
