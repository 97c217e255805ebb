"""scripts/nwbib_wikidata.py on rows shaped like NWBib's Wikidata query result: a town of
NRW takes the one municipality its name fits, never a quarter or a district of that name."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import nwbib_wikidata


def row(qid: str, label: str, part_of: str | None = None) -> dict:
    out = {"item": {"type": "uri", "value": f"http://www.wikidata.org/entity/{qid}"},
           "itemLabel": {"xml:lang": "de", "type": "literal", "value": label}}  # fmt: skip
    if part_of:
        out["partOf"] = {"type": "uri", "value": f"http://www.wikidata.org/entity/{part_of}"}
    return out


ROWS = [
    row("Q1198", "Nordrhein-Westfalen"),
    row("Q7924", "Regierungsbezirk Arnsberg", "Q1198"),
    row("Q7926", "Regierungsbezirk Düsseldorf", "Q1198"),
    row("Q6245", "Kreis Wesel", "Q7926"),
    row("Q2103", "Bochum", "Q1198"),  # a town lying in NRW itself
    row("Q2880", "Hamm", "Q7924"),  # a town lying in a Regierungsbezirk
    row("Q151342", "Hamm", "Q4068"),  # a quarter of Stolberg: no municipality
    row("Q3132", "Moers", "Q6245"),  # a town of a district
    row("Q21039640", "Moers", "Q3132"),  # the town's quarter of its name
    row("Q2899", "Mülheim an der Ruhr", "Q7926"),
    row("Q6961", "Hennef (Sieg)", "Q6245"),
    row("Q162771", "Neukirchen-Vluyn", "Q6245"),
    row("Q1", "Recke", "Q6245"),
    row("Q2", "Recke", "Q7924"),  # two municipalities of one name: neither
]


def town(gid: int, name: str) -> dict:
    return {"geonameid": gid, "name": name, "countrycode": "DE", "admin1code": "07"}


def test_municipalities_are_the_items_of_nrw_its_regions_and_districts() -> None:
    places = nwbib_wikidata.municipalities(ROWS)
    assert places["Q2103"] == "Bochum" and places["Q2880"] == "Hamm" and places["Q3132"] == "Moers"
    for above_or_below in ("Q1198", "Q7924", "Q6245", "Q151342", "Q21039640"):
        assert above_or_below not in places


def test_a_town_takes_the_one_municipality_its_name_fits() -> None:
    places = nwbib_wikidata.municipalities(ROWS)
    towns = [
        town(2947416, "Bochum"),
        town(2911240, "Hamm"),
        town(2870221, "Moers"),
        town(2867838, "Mülheim"),  # "an der Ruhr" is what the label adds
        town(2906376, "Hennef"),
        town(2864000, "Neukirchen"),  # not Neukirchen-Vluyn
        town(2849000, "Recke"),  # two fit
        town(1, "Mülheim"),  # a second town the same municipality fits: neither
    ]
    assert nwbib_wikidata.pairs(places, towns[:6]) == [
        (2867838, "Q2899", "Mülheim an der Ruhr"),
        (2870221, "Q3132", "Moers"),
        (2906376, "Q6961", "Hennef (Sieg)"),
        (2911240, "Q2880", "Hamm"),
        (2947416, "Q2103", "Bochum"),
    ]
    assert [p[0] for p in nwbib_wikidata.pairs(places, towns)] == [2870221, 2906376, 2911240,
                                                                 2947416]  # fmt: skip
