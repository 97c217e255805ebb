"""The clean stage end to end, and its robustness: a rejection or a valid record, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workers.clean.stage import clean
from workers.records import CleanItem, RawItem
from workers.settings import CleanSettings
from workers.stage import Rejection

SETTINGS = CleanSettings()
NOW = datetime(2030, 1, 1, tzinfo=UTC)
PARAGRAPHS = [
    "Der Gemeinderat von Musterhausen hat am Montagabend mit großer Mehrheit beschlossen, "
    "das alte Hallenbad zu sanieren, statt es durch einen Neubau zu ersetzen.",
    "Die Kosten schätzt die Verwaltung auf rund zwölf Millionen Euro. Ein Drittel soll aus "
    "Fördermitteln des Landes kommen, wie die Kämmerin am Rande der Sitzung erläuterte.",
    "Der Förderverein des Bades zeigte sich erleichtert. Man habe jahrelang für den Erhalt "
    "gekämpft, sagte die Vorsitzende, und werde die Sanierung nun eng begleiten.",
]
PAGE = f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Hallenbad wird saniert | Musterhausener Bote</title>
<meta property="og:site_name" content="Musterhausener Bote">
<meta name="author" content="Erika Muster">
<meta property="article:published_time" content="2024-03-04T10:00:00+01:00">
<link rel="canonical" href="https://bote.example/lokales/hallenbad-101.html">
</head><body><nav><a href="/">Start</a> <a href="/lokales">Lokales</a></nav>
<article><h1>Hallenbad wird saniert</h1>
<p>{PARAGRAPHS[0]}</p>
<figure><img src="bad.jpg">
<figcaption>Das Hallenbad (Archivbild). Foto: Max Muster</figcaption></figure>
<p>Lesen Sie auch: Neues Freibad soll 2031 öffnen &gt;&gt;</p>
<p>{PARAGRAPHS[1]}</p>
<p>1/6</p>
<p>{PARAGRAPHS[2]}</p>
<p>Fehler gefunden? Jetzt melden</p>
<p>Folgen Sie dem Musterhausener Boten bei Facebook und YouTube</p>
</article><footer>Impressum · Datenschutz</footer></body></html>"""


def raw(**fields: object) -> RawItem:
    base: dict[str, object] = {
        "id": "i1",
        "url": "https://bote.example/lokales/hallenbad-101.html",
        "title": "Hallenbad wird saniert",
        "fetched_at": NOW,
        "language_hint": "de",
        "run_id": "test",
    }
    return RawItem(**{**base, **fields})


def test_html_page_extracts_the_article_without_boilerplate() -> None:
    item = clean(raw(html=PAGE), SETTINGS)
    assert isinstance(item, CleanItem)
    assert item.text.split("\n\n") == PARAGRAPHS
    assert item.lang.code == "de"
    assert item.authors == ["Erika Muster"]
    assert item.published_at is not None and item.published_at.year == 2024


def test_feed_date_wins_over_page_date() -> None:
    feed_date = datetime(2030, 3, 5, 8, 0, tzinfo=UTC)
    item = clean(raw(html=PAGE, published_at=feed_date), SETTINGS)
    assert isinstance(item, CleanItem) and item.published_at == feed_date


def test_text_only_item_keeps_paragraphs_and_loses_boilerplate() -> None:
    text = "\n\n".join([PARAGRAPHS[0], "Lesen Sie auch: Freibad öffnet >>", PARAGRAPHS[1]])
    item = clean(raw(text=text), SETTINGS)
    assert isinstance(item, CleanItem)
    assert item.text == f"{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}"


def test_html_summary_is_decoded_once() -> None:
    item = clean(
        raw(summary="<p>Bad &amp; Sauna: AT&amp;amp;T zahlt &bdquo;nichts&ldquo;</p>"), SETTINGS
    )
    assert isinstance(item, CleanItem)
    assert item.text == "Bad & Sauna: AT&amp;T zahlt „nichts“"


def test_short_german_title_only_item_is_accepted() -> None:
    item = clean(raw(title="Bahn streikt wieder", url=None), SETTINGS)
    assert isinstance(item, CleanItem)
    assert item.text == "" and (item.lang.code, item.lang.method) == ("de", "feed")


def test_english_item_is_rejected_with_language_and_confidence() -> None:
    english = (
        "The city council decided on Tuesday to raise parking fees in the city centre "
        "considerably from next year. The opposition sharply criticised the decision."
    )
    result = clean(raw(title="Parking fees rise", text=english), SETTINGS)
    assert isinstance(result, Rejection)
    assert result.reason == "language:en"
    assert "confidence 0.9" in result.detail or "confidence 1.00" in result.detail


def test_nothing_at_all_is_rejected_as_empty() -> None:
    result = clean(raw(title="", html="<html><body><script>x()</script></body></html>"), SETTINGS)
    assert isinstance(result, Rejection) and result.reason == "empty"


# --- robustness: every case ends in a rejection with a reason or a valid record ---------

BROKEN = (
    "<html><body><div><p>"
    + PARAGRAPHS[0]
    + "<p>"
    + PARAGRAPHS[1]
    + "</div></span><table><tr><td>"
    + PARAGRAPHS[2]
    + "<<<>>&&&;<!-- unclosed"
)


@pytest.mark.parametrize(
    "fields",
    [
        {"html": BROKEN},
        {"html": "<html><body><article><p>" + PARAGRAPHS[0] + "</p>" + "<div>x</div>" * 400_000},
        {"html": "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\x00\x00"},
        {"html": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + "\x00\xff" * 500},
        {"html": "Ã¼ber Ã¤rger " * 50},  # UTF-8 read as Latin-1: mojibake, but text
        {"html": "<html><body></body></html>"},
        {"html": "<div><div><div>" * 5000},
        {"html": ""},
        {"html": "   \n\t  "},
        {"summary": "<p>unclosed &bogus; &#99999999; entity"},
        {"text": "\x00\x01\x02 Steuerzeichen \ud800 im Text"},
    ],
    ids=[
        "broken-markup",
        "many-mb",
        "pdf",
        "png",
        "mojibake",
        "extracts-to-nothing",
        "deep-nesting",
        "empty-html",
        "blank-html",
        "bad-entities",
        "control-chars",
    ],
)
def test_hostile_input_never_crashes(fields: dict[str, object]) -> None:
    result = clean(raw(**fields), SETTINGS)  # an exception fails the test
    if isinstance(result, Rejection):
        assert result.reason
    else:
        assert isinstance(result, CleanItem)
        CleanItem.model_validate_json(result.model_dump_json())


def test_binary_page_is_rejected_as_not_html() -> None:
    result = clean(raw(html="%PDF-1.4 binary"), SETTINGS)
    assert isinstance(result, Rejection) and result.reason == "not_html"


def test_page_that_extracts_to_nothing_degrades_to_the_teaser() -> None:
    result = clean(
        raw(html="<html><body><script>app()</script></body></html>", summary=PARAGRAPHS[0]),
        SETTINGS,
    )
    assert isinstance(result, CleanItem) and result.text == PARAGRAPHS[0]


def test_many_mb_page_is_cut_and_still_extracted() -> None:
    html = "<html><body><article><p>" + PARAGRAPHS[0] + "</p>" + "<p>füll</p>" * 600_000
    result = clean(raw(html=html), SETTINGS.model_copy(update={"max_html_chars": 100_000}))
    assert isinstance(result, CleanItem) and result.text.startswith(PARAGRAPHS[0][:40])


def test_same_input_same_output() -> None:
    a, b = clean(raw(html=PAGE), SETTINGS), clean(raw(html=PAGE), SETTINGS)
    assert isinstance(a, CleanItem) and a == b
