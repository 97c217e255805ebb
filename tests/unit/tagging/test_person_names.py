"""The knowledge base's people as given names and surnames (scripts/person_names.py
``--kb``), on a knowledge base written here."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import load_script


def _kb(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "kb.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return path


def test_first_word_given_last_word_surname_of_people_only(tmp_path: Path) -> None:
    names = load_script("person_names")
    kb = _kb(
        tmp_path,
        [
            {"id": "Q1", "name": "Wolfgang Thierse", "type": "PER"},
            {"id": "Q2", "name": "Ursula von der Leyen", "type": "PER"},
            {"id": "Q6", "name": "Luiz Inácio Lula da Silva", "type": "PER", "aliases": ["Lula"]},
            {"id": "Q3", "name": "George W. Bush", "type": "PER"},
            {"id": "Q4", "name": "Bad Homburg", "type": "LOC"},
            {"id": "Q5", "name": "Deutsche Bahn", "type": "ORG"},
        ],
    )
    assert names.kb_names(kb) == {
        "Wolfgang": {"G"},
        "Thierse": {"S"},
        "Ursula": {"G"},
        "Leyen": {"S"},  # the particles fail the Latin-name pattern
        "Luiz": {"G"},  # a lone form ("Lula") says not whether it is a given name or a surname
        "Silva": {"S"},
        "George": {"G"},
        "Bush": {"S"},
    }


def test_merged_adds_kinds_to_the_faker_table() -> None:
    names = load_script("person_names")
    table = {"Paris": "g", "Henry": "gs"}
    extra = {"Paris": {"S"}, "Thierse": {"S"}, "Henry": {"G"}}
    # Faker's kinds stay as they were beside the knowledge base's (upper-case) ones
    assert names.merged(table, extra) == {"Paris": "Sg", "Henry": "Ggs", "Thierse": "S"}
