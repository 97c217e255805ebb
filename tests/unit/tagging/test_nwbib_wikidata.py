"""scripts/nwbib_wikidata.py on concepts shaped like NWBib's spatial classification
(nwbib-spatial.ttl): a town of NRW takes the one municipality its name fits, never a quarter
(no key) or a district of that name."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import nwbib_wikidata


def concept(qid: str, label: str, key: str | None = None) -> str:
    notation = f'\n        skos:notation   "{key}" ;' if key else ""
    return (f"nwbib-spatial:{qid}  a  skos:Concept ;\n"
            f"        skos:inScheme   <https://nwbib.de/spatial> ;{notation}\n"
            f'        skos:prefLabel  "{label}"@de ;\n'
            f"        foaf:focus      wd:{qid} .\n")  # fmt: skip


TTL = "\n".join(
    [
        "@prefix wd:    <http://www.wikidata.org/entity/> .\n",
        concept("Q2103", "Bochum", "05911"),  # a district-free city
        concept("Q2880", "Hamm", "05915"),
        concept("Q151342", "Hamm"),  # a quarter of Stolberg: no key, no municipality
        concept("Q6245", "Kreis Wesel", "05170"),  # a district
        concept("Q6272", "Städteregion Aachen", "05334"),
        concept("Q3132", "Moers", "05170024"),  # a town of a district
        concept("Q21039640", "Moers"),  # the town's quarter of its name
        concept("Q2899", "Mülheim an der Ruhr", "05117"),
        concept("Q6961", "Hennef (Sieg)", "05382020"),
        concept("Q162771", "Neukirchen-Vluyn", "05170028"),
        concept("Q1", "Recke", "05566076"),
        concept("Q2", "Recke", "05566077"),  # two municipalities of one name: neither
    ]
)


def town(gid: int, name: str) -> dict:
    return {"geonameid": gid, "name": name, "countrycode": "DE", "admin1code": "07"}


def test_municipalities_are_the_concepts_with_a_key_that_are_no_district() -> None:
    places = nwbib_wikidata.municipalities(nwbib_wikidata.concepts(TTL))
    assert places["Q2103"] == ("05911", "Bochum") and places["Q3132"] == ("05170024", "Moers")
    for no_town in ("Q151342", "Q6245", "Q6272", "Q21039640"):
        assert no_town not in places


def test_a_town_takes_the_one_municipality_its_name_fits() -> None:
    places = nwbib_wikidata.municipalities(nwbib_wikidata.concepts(TTL))
    towns = [
        town(2947416, "Bochum"),
        town(2911240, "Hamm"),
        town(2870221, "Moers"),
        town(2867838, "Mülheim"),  # "an der Ruhr" is what the label adds
        town(2906376, "Hennef"),
        town(2864000, "Neukirchen"),  # not Neukirchen-Vluyn
        town(2849000, "Recke"),  # two fit
    ]
    assert nwbib_wikidata.pairs(places, towns) == [
        (2867838, "Q2899", "05117", "Mülheim an der Ruhr"),
        (2870221, "Q3132", "05170024", "Moers"),
        (2906376, "Q6961", "05382020", "Hennef (Sieg)"),
        (2911240, "Q2880", "05915", "Hamm"),
        (2947416, "Q2103", "05911", "Bochum"),
    ]
    # a second town the same municipality fits: neither takes it
    second = nwbib_wikidata.pairs(places, [*towns, town(1, "Mülheim")])
    assert [p[0] for p in second] == [2870221, 2906376, 2911240, 2947416]
