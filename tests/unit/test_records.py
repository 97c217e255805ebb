"""The wire contract: schemas/ matches the record models, and records validate against it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import assert_valid
from workers.records import WIRE_RECORDS, RawItem, Rejected, utcnow
from workers.schemas import render, schema_path


@pytest.mark.parametrize("name", sorted(WIRE_RECORDS))
def test_schema_file_matches_model(name: str) -> None:
    assert schema_path(name).read_text(encoding="utf-8") == render(name), (
        "schemas/ is out of date: run `python -m workers.schemas --write`"
    )


def test_schema_rejects_what_the_model_rejects() -> None:
    raw = RawItem(id="abc", fetched_at=utcnow(), run_id="r").model_dump(mode="json")
    assert_valid("raw", raw)
    with pytest.raises(Exception, match=r"schema_version|is not valid"):
        assert_valid("raw", {**raw, "schema_version": 2})
    with pytest.raises(Exception, match="Additional properties"):
        assert_valid("raw", {**raw, "surprise": 1})


def test_every_schema_requires_a_version_field() -> None:
    for name in WIRE_RECORDS:
        schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
        assert "schema_version" in schema["required"], name


def test_rejected_keeps_the_original_payload() -> None:
    record = Rejected(stage="clean", reason="x", original="\ufffd{", at=utcnow())
    assert_valid("rejected", record.model_dump(mode="json"))
