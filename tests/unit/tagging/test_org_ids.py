"""Organisations German news names all the time, with confirmed Wikidata ids (issue #15).

Sentences of our own: media, state bodies, companies and militant groups that shipped
without an id (their own ids stay followable) or were missing, and the forms among them
that are something else too (the Fed Cup, the Royal Air Force, the NSU car maker).
"""

from __future__ import annotations

import pytest

from tests.unit.tagging.conftest import keys
from workers.tagging.follow import current_id
from workers.tagging.stage import Tagger

FED = "Q53536"
RAF = "lagebild:ORG:rote-armee-fraktion"
NSU = "lagebild:ORG:nationalsozialistischer-untergrund"
FERRARI = "Q27586"


@pytest.mark.parametrize(
    ("former", "qid"),
    [
        ("lagebild:ORG:bundesregierung", "Q313827"),
        ("lagebild:ORG:mercedes-benz-group", "Q27530"),
        ("lagebild:ORG:deutsche-presse-agentur", "Q312653"),
        ("lagebild:ORG:weißes-haus", "Q35525"),
        ("lagebild:ORG:ibm", "Q37156"),
        ("lagebild:ORG:deutsche-bundesbank", "Q162222"),
    ],
)
def test_an_entry_given_an_id_stays_followable_by_its_own_id(former: str, qid: str) -> None:
    assert current_id(former) == qid


@pytest.mark.parametrize(
    ("text", "form", "qid"),
    [
        ("Die Bundesregierung will das Gesetz ändern.", "Bundesregierung", "Q313827"),
        ("Das meldet die Nachrichtenagentur dpa.", "dpa", "Q312653"),
        ("Im Weißen Haus hieß es am Abend, man prüfe das.", "Weißen Haus", "Q35525"),
        ("Der Autobauer Daimler baut Stellen ab.", "Daimler", "Q27530"),
        ("Hamilton gewann im Mercedes vor Vettel.", "Mercedes", "Q27530"),
    ],
)
def test_the_common_forms_carry_the_id(tagger: Tagger, text: str, form: str, qid: str) -> None:
    assert keys(tagger, text)[form] == qid


def test_the_fed_is_the_central_bank_where_rates_are_spoken_of(tagger: Tagger) -> None:
    assert keys(tagger, "Die Fed hob den Leitzins um einen Viertelpunkt an.")["Fed"] == FED
    assert keys(tagger, "Fed-Chef Ben Bernanke hatte eine Zinswende angedeutet.")["Fed"] == FED


def test_the_fed_cup_is_tennis_not_the_central_bank(tagger: Tagger) -> None:
    found = keys(tagger, "Sie war später Teamchefin des französischen Fed-Cup-Teams.")
    assert FED not in found.values()


def test_the_raf_is_the_terror_group_only_with_its_words(tagger: Tagger) -> None:
    found = keys(tagger, "Die Ex-RAF-Terroristin Susanne Albrecht wurde 1990 gefasst.")
    assert found["RAF"] == RAF
    found = keys(tagger, "Die RAF bombardierte im Februar 1945 die Stadt Dresden.")
    assert RAF not in found.values()


def test_the_nsu_is_the_terror_group_only_with_its_words(tagger: Tagger) -> None:
    found = keys(tagger, "Der NSU ermordete zehn Menschen, Beate Zschäpe steht vor Gericht.")
    assert found["NSU"] == NSU
    car = keys(tagger, "Der NSU Prinz war in den Sechzigern ein beliebtes Auto.")
    assert NSU not in car.values()


def test_the_sports_broadcaster_is_an_organisation(tagger: Tagger) -> None:
    entities = tagger.entities("", "Das sagte Karl-Heinz Rummenigge bei SPORT1 über den Transfer.")
    (sport1,) = [e for e in entities if e.name == "Sport1"]
    assert sport1.type == "ORG"


def test_ferrari_the_man_is_no_mention_of_the_company(tagger: Tagger) -> None:
    assert FERRARI not in keys(tagger, "Enzo Ferrari gründete die Firma in Maranello.").values()
    assert keys(tagger, "Sebastian Vettel fuhr im Ferrari auf Platz drei.")["Ferrari"] == FERRARI


SWR_BROADCASTER = "lagebild:ORG:südwestrundfunk"
SWR_SPIES = "lagebild:ORG:swr"
BR = "lagebild:ORG:bayerischer-rundfunk"
OETKER = "lagebild:ORG:dr.-oetker"


def test_swr_is_the_broadcaster_or_the_russian_service_by_its_words(tagger: Tagger) -> None:
    broadcaster = keys(tagger, "Das SWR Fernsehen zeigt am Sonntag den Tatort aus Stuttgart.")
    assert broadcaster["SWR"] == SWR_BROADCASTER
    spies = keys(tagger, "Der russische Auslandsgeheimdienst SWR warnte vor Spionen aus Moskau.")
    assert SWR_BROADCASTER not in spies.values()
    assert SWR_SPIES in spies.values()


def test_br_is_the_broadcaster_only_with_its_words(tagger: Tagger) -> None:
    assert keys(tagger, "Der BR berichtete am Abend aus München.")["BR"] == BR
    assert BR not in keys(tagger, "Das Kürzel BR steht auf dem Formular.").values()


def test_rtl_zwei_is_not_rtl(tagger: Tagger) -> None:
    found = keys(tagger, "Das zeigte RTL II am Abend, RTL am Morgen.")
    assert found["RTL II"] == "lagebild:ORG:rtl-zwei"
    assert found["RTL"] == "lagebild:ORG:rtl"
    group = keys(tagger, "Neben RTL senden Vox und Super RTL, Töchter der RTL Group.")
    assert group["Super RTL"] == "lagebild:ORG:super-rtl"
    assert group["RTL Group"] == "lagebild:ORG:rtl-group"


def test_oetker_is_the_company_where_the_text_speaks_of_a_company(tagger: Tagger) -> None:
    found = keys(tagger, "Der Konzern Oetker meldete ein Umsatzplus bei Puddingpulver.")
    assert found["Oetker"] == OETKER
    family = keys(tagger, "Die Familie Oetker lebt in Bielefeld am Teutoburger Wald.")
    assert OETKER not in family.values()


def test_the_soviet_union_is_a_place_with_its_id(tagger: Tagger) -> None:
    entities = tagger.entities("", "Nach dem Kollaps der Sowjetunion wechselten sie ihr Weltbild.")
    (ussr,) = [e for e in entities if e.key == "Q15180"]
    assert ussr.type == "LOC"


def test_the_wikimedia_projects_carry_their_ids(tagger: Tagger) -> None:
    found = keys(tagger, "Das berichtete Wikinews unter Berufung auf die Wikipedia.")
    assert found["Wikinews"] == "Q964"
    assert found["Wikipedia"] == "Q52"


def test_bvg_is_berlins_transport_company_only_with_its_words(tagger: Tagger) -> None:
    bvg = "lagebild:ORG:berliner-verkehrsbetriebe"
    assert keys(tagger, "Die BVG streikt, Busse und Bahnen in Berlin stehen still.")["BVG"] == bvg
    assert bvg not in keys(tagger, "Das BVG hat die Klage abgewiesen.").values()


def test_eads_is_airbus_under_its_former_name(tagger: Tagger) -> None:
    assert keys(tagger, "Der Rüstungskonzern EADS baut Flugzeuge.")["EADS"] == "Q2311"


def test_the_foreign_office_in_the_nominative(tagger: Tagger) -> None:
    found = keys(tagger, "Das Auswärtige Amt warnt vor Reisen in das Land.")
    assert found["Auswärtige Amt"] == current_id("lagebild:ORG:auswärtiges-amt")


@pytest.mark.parametrize(
    ("text", "form", "qid"),
    [
        (
            "Das UN-Palästinenserhilfswerk warnte vor Hunger in Gaza.",
            "UN-Palästinenserhilfswerk",
            "Q846656",
        ),
        ("Der UN-Menschenrechtsrat tagt in Genf.", "Menschenrechtsrat", "Q205650"),
        ("Laut WFP hungern Millionen Menschen.", "WFP", "Q204344"),
        ("Die WTO schlichtet den Handelsstreit.", "WTO", "Q7825"),
        ("Die Arabische Liga tagte in Kairo.", "Arabische Liga", "Q7172"),
    ],
)
def test_international_bodies_carry_their_ids(
    tagger: Tagger, text: str, form: str, qid: str
) -> None:
    assert keys(tagger, text)[form] == qid


def test_the_big_banks_and_brands_carry_their_ids(tagger: Tagger) -> None:
    found = keys(tagger, "JPMorgan und Goldman Sachs melden Gewinne, Nestlé und Intel Verluste.")
    assert found["JPMorgan"] == "Q192314"
    assert found["Goldman Sachs"] == "Q193326"
    assert found["Nestlé"] == "Q160746"
    assert found["Intel"] == "Q248"


def test_the_retail_and_oil_brands_carry_their_ids(tagger: Tagger) -> None:
    found = keys(tagger, "Lidl und Shell erhöhen die Preise.")
    assert found["Lidl"] == "Q151954"
    assert found["Shell"] == "Q154950"
