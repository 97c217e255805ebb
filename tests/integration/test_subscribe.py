"""`lagebild subscribe` on the real broker: the dead letters, the hint, no wrapping in a pipe."""

from __future__ import annotations

import asyncio
import io
import json

from tests.kafka_reader import produce
from workers.cli.subscribe import subscribe
from workers.provision import ensure_topics
from workers.records import Rejected, utcnow
from workers.settings import Settings
from workers.tagging.taxonomy import topic_ids


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_rejected_records_with_reasons_and_the_hint_without_from_beginning(
    kafka_settings: Settings,
) -> None:
    asyncio.run(ensure_topics(kafka_settings))
    detail = "detected en (confidence 1.00) " + "x" * 120  # longer than 80 columns
    record = Rejected(
        id="abc", stage="clean", reason="language:en", detail=detail, original="{}", at=utcnow()
    )
    produce(
        kafka_settings.kafka.bootstrap_servers or "",
        kafka_settings.topic("news.rejected"),
        [(b"abc", record.to_json())],
    )
    known = topic_ids(kafka_settings.tagging.topics_file)

    def run(from_beginning: bool, as_json: bool) -> tuple[str, str]:
        out, err = Pipe(), io.StringIO()
        asyncio.run(
            subscribe(
                kafka_settings,
                None,
                None,
                from_beginning,
                None,
                2.0,
                as_json,
                out,
                rejected=True,
                known_topics=known,
                err=err,
            )
        )
        return out.getvalue(), err.getvalue()

    text, err = run(from_beginning=True, as_json=False)
    assert "abc rejected at clean: language:en" in text
    assert any(detail[:200] in line for line in text.splitlines())  # one line, not wrapped
    assert err == ""
    lines, _ = run(from_beginning=True, as_json=True)
    assert json.loads(lines.splitlines()[0])["reason"] == "language:en"
    nothing, hint = run(from_beginning=False, as_json=True)
    assert nothing == ""
    assert "new records only (--from-beginning shows earlier ones)" in hint
