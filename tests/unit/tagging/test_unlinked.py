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


def test_one_name_one_key_whatever_its_spelling() -> None:
    from workers.tagging.unlinked import same_key, unlinked_key

    assert unlinked_key("PER", "Franz-Josef  Jung") == unlinked_key("PER", "Franz Josef Jung")
    assert unlinked_key("ORG", "Conradty AG") == unlinked_key("ORG", "Conradty")
    assert unlinked_key("ORG", "Wiener Linien GmbH & Co KG") == "name:ORG:wiener linien"
    assert unlinked_key("ORG", "Schäuble & Co.") == "name:ORG:schäuble"
    # an adjective's case, not a noun's ("Bremen Airport")
    zeitung = unlinked_key("ORG", "Münstersche Zeitung")
    assert unlinked_key("ORG", "Münsterschen Zeitung") == zeitung
    assert unlinked_key("ORG", "Europäischer Gerichtshof") == unlinked_key(
        "ORG", "Europäischen Gerichtshof"
    )
    assert unlinked_key("ORG", "Bremen Airport") == "name:ORG:bremen airport"
    # a place keeps its hyphen ("Weser-Ems"), a legal form alone stays a name
    assert unlinked_key("LOC", "Weser-Ems") == "name:LOC:weser-ems"
    assert unlinked_key("ORG", "AG") == "name:ORG:ag"
    # a subscriber's id written before the normalisation finds the name's key of today
    assert same_key("name:PER:franz-josef jung") == "name:PER:franz josef jung"
    assert same_key("name:ORG:siemens ag") == "name:ORG:siemens"
    assert same_key("Q7747") == "Q7747"
