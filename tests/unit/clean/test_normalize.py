"""Unicode and whitespace normalization; HTML entities decoded exactly once."""

from __future__ import annotations

import unicodedata

from workers.clean.extract import fragment_text, summary_text
from workers.clean.normalize import fold_line, normalize_text, text_blocks


def test_nfc_and_invisible_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "Bürger­meister\u200b in Köln\ufeff")
    assert normalize_text(decomposed) == "Bürgermeister in Köln"


def test_typographic_quotes_and_dashes_are_kept() -> None:
    text = "„Wir bleiben“ – sagte sie – «nicht» ‚hier‘ … 1990–2000"
    assert normalize_text(text) == text


def test_whitespace_folded_inside_paragraphs_breaks_kept() -> None:
    text = "Erster   Absatz\nmit\tUmbruch.\r\n\r\n\n  Zweiter\u00a0Absatz.  "
    assert normalize_text(text) == "Erster Absatz mit Umbruch.\n\nZweiter Absatz."


def test_text_blocks_lines_and_paragraphs() -> None:
    text = "Zeile eins\nZeile  zwei\n\nAbsatz zwei"
    assert text_blocks(text) == [["Zeile eins", "Zeile zwei"], ["Absatz zwei"]]
    assert text_blocks(text, lines_are_paragraphs=True) == [
        ["Zeile eins"],
        ["Zeile zwei"],
        ["Absatz zwei"],
    ]
    assert fold_line(" Titel\n mit  Umbruch ") == "Titel mit Umbruch"


def test_entities_decoded_exactly_once() -> None:
    # &amp;amp; in HTML is the text "&amp;": it must not become "&"
    assert fragment_text("<p>AT&amp;amp;T &amp; Co &bdquo;Zitat&ldquo;</p>").strip() == (
        "AT&amp;T & Co „Zitat“"
    )
    # plain text is never decoded: "&amp;" written in a plain-text field stays
    assert summary_text("Forschung und Lehre") == "Forschung und Lehre"
    assert summary_text("<b>Industrie &amp; Börse</b>").strip() == "Industrie & Börse"


def test_fragment_keeps_blocks_and_drops_scripts() -> None:
    html = "<p>Eins</p><script>var x = 1;</script><p>Zwei<br>Drei</p>"
    assert [b for b in fragment_text(html).split("\n") if b] == ["Eins", "Zwei", "Drei"]
