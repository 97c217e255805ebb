from __future__ import annotations

from workers.records import Entity, EntityLink, Mention
from workers.tagging.unlinked import count_unlinked


def entity(name: str, key: str, linked: bool = False) -> Entity:
    return Entity(
        id="Q1" if linked else None,
        key=key,
        name=name,
        type="PER",
        mentions=[Mention(text=name, start=0, end=len(name))],
        count=1,
        in_title=False,
        in_lead=True,
        link=EntityLink(method="alias", alias=name, score=1.0) if linked else None,
    )


def test_names_outside_the_kb_are_counted_per_record_most_frequent_first() -> None:
    anna = "name:PER:anna weber"
    records = [
        [entity("Anna Weber", anna), entity("Putin", "Q1", linked=True)],
        [entity("Anna Weber", anna), entity("Olha Hrynko", "name:PER:olha hrynko")],
        [entity("ANNA WEBER", anna)],
    ]
    names = count_unlinked(records)
    assert [(n.key, n.records) for n in names] == [(anna, 3), ("name:PER:olha hrynko", 1)]
    assert names[0].name == "Anna Weber"  # the spelling seen most
