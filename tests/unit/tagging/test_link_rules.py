"""The rules that read a tagged name in its sentence (workers/tagging/link_rules.py)."""

from __future__ import annotations

from workers.tagging.knowledge import KnownEntity
from workers.tagging.link_rules import trim
from workers.tagging.ner import NamedSpan

BANK = KnownEntity(id="Q1", name="Deutsche Bank", type="ORG")
ZEIT = KnownEntity(id="Q2", name="Die Zeit", type="ORG")
LOOKUP = {"Deutsche Bank": (BANK,), "Die Zeit": (ZEIT,)}


def span(text: str, start: int = 10) -> NamedSpan:
    return NamedSpan(start, start + len(text), text, "ORG")


def test_a_lower_case_article_is_no_part_of_a_name() -> None:
    assert trim(LOOKUP, span("dem Tagesspiegel")) == NamedSpan(14, 26, "Tagesspiegel", "ORG")


def test_an_upper_case_article_goes_only_where_the_knowledge_base_says_so() -> None:
    # a sentence's first word: the knowledge base has the bank without its article
    assert trim(LOOKUP, span("Die Deutsche Bank")).text == "Deutsche Bank"
    # the article is the name's own: known with it, or unknown either way
    assert trim(LOOKUP, span("Die Zeit")).text == "Die Zeit"
    assert trim(LOOKUP, span("Der Tagesspiegel")).text == "Der Tagesspiegel"
    # an article before a word in lower case is left to the tagger
    assert trim(LOOKUP, span("Die drei")).text == "Die drei"
