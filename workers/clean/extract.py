"""Main text and metadata from HTML, with trafilatura."""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura
from lxml import html as lxml_html


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    canonical_url: str | None = None
    sitename: str | None = None
    image: str | None = None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Extract the article; paragraphs come back separated by blank lines.

    A feed's HTML fragment is often too small for trafilatura's page heuristics,
    so when it yields nothing the fragment's own text is used.
    """
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        text = _fragment_text(html)
    if doc is None:
        return Extracted(text=text.replace("\n", "\n\n"))
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Extracted(
        text=text.replace("\n", "\n\n"),
        title=doc.title,
        authors=authors,
        date=doc.date,
        canonical_url=doc.url,
        sitename=doc.sitename,
        image=doc.image,
    )


def _fragment_text(html: str) -> str:
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on hopeless markup
        return ""
    blocks = root.xpath("//p|//h1|//h2|//h3|//li|//blockquote")
    texts = [b.text_content() for b in blocks] or [root.text_content()]
    return "\n".join(t for t in texts if t.strip())
