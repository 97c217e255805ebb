"""Write the knowledge base's places of the war: workers/tagging/data/war_places.txt and
occupied_places.txt.

`python scripts/war_places.py` after the knowledge base is rebuilt. A headline that names a
village of Ukraine ("Nowodariwka befreit") or of the Russian border oblasts the war reached
(Kursk, Belgorod) is in the war, though the hand-written `context_entities` of
data/topics.toml list only the towns everyone knows: the taxonomy reads war_places.txt as more
of them (`context_entities_file`). A place is one of the war's when its chain of parents in the
knowledge base reaches Ukraine, the Crimea or one of those oblasts.

Which side held a place decides what a headline means: Ukrainian troops before Melitopol, a
flag over Isjum, Russians who lose Kupjansk are the counteroffensive; before Kramatorsk, over
Kyiv, losing Soledar they are not. occupied_places.txt lists the places of the war Russia held
at some time since February 2022 (the taxonomy's `occupied_file`): every place below the areas
of OCCUPIED_AREAS (the Crimea, Sevastopol, the oblasts of Luhansk and Kherson, and the raions
of the other oblasts that Russia held in 2022-2023), and the towns of OCCUPIED_TOWNS (by name:
the knowledge base gives many towns no raion). Towns Russia took and kept in 2022-2024
(Soledar, Bachmut, Awdijiwka) are left out: Ukraine defended them, and a Ukrainian unit there
is no advance.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "workers" / "tagging" / "data"
#: Ukraine, the Crimea, Sevastopol, the oblasts of Kursk and Belgorod (Wikidata ids), and the
#: oblast of Donetsk (the knowledge base gives it no parent, so its places reach no other root)
ROOTS = frozenset({"Q212", "Q7835", "Q7525", "Q3178", "Q3329", "Q2012050"})
#: areas Russia held, whole or for the most part, at some time since 2022 (knowledge-base ids)
OCCUPIED_AREAS = frozenset(
    {
        # the Crimea, Sevastopol, the oblasts of Luhansk and Kherson
        "Q7835", "Q7525", "Q171965", "Q163271",
        # Zaporizhzhia oblast, the south: Melitopol, Berdiansk, Tokmak (Robotyne), Vasylivka,
        # Polohy, Enerhodar and the Azov coast
        "wof:1108815655", "wof:1108815927", "wof:1108815641", "wof:1108815657",
        "wof:1108815925", "wof:102088303", "wof:102088369", "wof:102088205", "wof:102088091",
        "wof:102088247", "wof:102088153", "wof:102088255", "wof:1108730769", "wof:102088385",
        "wof:102088373", "wof:102088201",
        # Donetsk oblast: Mariupol and the south, the areas held since 2014, Lyman (2022)
        "wof:1108730821", "wof:102088371", "wof:102088451", "Q2628102", "Q2994010",
        "Q2995136", "wof:102088523", "wof:102088509", "wof:1108815735", "wof:1108815751",
        "wof:1108815953", "wof:1108730717", "wof:1175613751", "wof:1175613755",
        "wof:1175613747", "wof:1175613749", "wof:1175613761", "wof:1175613757",
        "wof:1108815627", "wof:1108815875",
        # Kharkiv oblast, the east taken back in September 2022: Kupiansk, Izium, Balakliia
        "wof:102088921", "wof:102088847", "wof:1108730665", "wof:102088843", "wof:102088975",
        "wof:102088957", "wof:102088861", "wof:102088903", "Q2631924",
        # Kyiv oblast, the north held until April 2022: Bucha, Irpin, Hostomel, Borodianka
        "wof:102088927", "wof:102088915", "wof:102088783", "wof:102088851", "wof:1108730759",
        "wof:1108730819", "wof:102088769",
    }
)  # fmt: skip
#: towns Russia held, by their name in the knowledge base (many have no raion there)
OCCUPIED_TOWNS = frozenset(
    {
        "Kupjansk", "Isjum", "Balaklija", "Lyman", "Swatowe", "Kreminna", "Snihuriwka",
        "Mariupol", "Melitopol", "Berdjansk", "Tokmak", "Nowa Kachowka", "Enerhodar",
        "Donezk", "Luhansk", "Sewastopol", "Kertsch", "Cherson", "Robotyne", "Sjewjerodonezk",
        "Lyssytschansk", "Wolnowacha", "Hola Prystan", "Oleschky", "Skadowsk", "Henitschesk",
        "Kachowka", "Dschankoj", "Simferopol", "Jalta", "Feodossija", "Horliwka",
        "Makijiwka", "Butscha", "Irpin", "Hostomel", "Staromajorske", "Krynky", "Wowtschansk",
        "Kosatscha Lopan", "Trostjanez", "Polohy", "Kamjanka-Dniprowska", "Nowoasowsk",
        "Dokutschajewsk", "Jasynuwata", "Schachtarsk", "Debalzewe", "Torez", "Jenakijewe",
        "Starobilsk", "Rubischne", "Popasna", "Wassyliwka", "Neskutschne", "Uroschajne",
    }
)  # fmt: skip


def _rows(kb: Path) -> list[dict]:
    with gzip.open(kb, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _below(rows: list[dict], roots: frozenset[str]) -> set[str]:
    """The ids of every LOC entity below one of ``roots`` (the roots themselves excluded)."""
    parent = {r["id"]: r.get("parent") for r in rows}

    def below(key: str) -> bool:
        seen: set[str] = set()
        at = parent.get(key)
        while at and at not in seen:
            if at in roots:
                return True
            seen.add(at)
            at = parent.get(at)
        return False

    return {r["id"] for r in rows if r.get("type") == "LOC" and below(r["id"])}


def war_places(kb: Path = DATA / "kb.jsonl.gz") -> list[str]:
    """The ids of every LOC entity below one of ROOTS (the roots themselves excluded)."""
    return sorted(_below(_rows(kb), ROOTS))


def occupied_places(kb: Path = DATA / "kb.jsonl.gz") -> list[str]:
    """The places of the war Russia held: below OCCUPIED_AREAS, the areas themselves, and
    every place of the war named as one of OCCUPIED_TOWNS."""
    rows = _rows(kb)
    war = _below(rows, ROOTS)
    # a town of the list below no parent at all is the one meant (Berdjansk has none)
    towns = {
        r["id"]
        for r in rows
        if r.get("type") == "LOC"
        and r["name"] in OCCUPIED_TOWNS
        and (r["id"] in war or not r.get("parent"))
    }
    areas = {r["id"] for r in rows if r["id"] in OCCUPIED_AREAS}
    return sorted(_below(rows, OCCUPIED_AREAS) | areas | towns)


def main() -> None:
    for name, ids, what in (
        ("war_places.txt", war_places(), "places of the war"),
        ("occupied_places.txt", occupied_places(), "places of the war Russia held"),
    ):
        out = DATA / name
        header = f"# made by scripts/war_places.py from kb.jsonl.gz: {what}, one id a line\n"
        out.write_text(header + "".join(f"{i}\n" for i in ids), encoding="utf-8")
        print(f"{out}: {len(ids)} places")


if __name__ == "__main__":
    main()
