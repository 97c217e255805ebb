"""The clean stage: raw item in, clean item (or a rejection) out."""

from __future__ import annotations

from workers.clean.extract import extract_html
from workers.clean.language import detect_language
from workers.clean.normalize import normalize_text
from workers.records import CleanItem, RawItem
from workers.settings import CleanSettings
from workers.stage import Rejection

STAGE = "clean"


def clean(raw: RawItem, settings: CleanSettings) -> CleanItem | Rejection:
    """Extract and normalize the text and decide the language.

    HTML wins over plain text when the feed carries both: it holds the whole
    article, where feed text is often a teaser.
    """
    authors = raw.authors
    canonical = None
    if raw.html:
        extracted = extract_html(raw.html, raw.url)
        body = extracted.text
        authors = authors or extracted.authors
        canonical = extracted.canonical_url
    else:
        body = raw.text or raw.summary or ""
    text = normalize_text(body)
    title = normalize_text(raw.title).replace("\n\n", " ")
    if not text and not title:
        return Rejection(STAGE, "empty", "neither title nor text after extraction")
    lang = detect_language(f"{title}\n\n{text}", raw.language_hint, settings)
    if lang.code not in settings.accept_languages:
        return Rejection(
            STAGE,
            f"language:{lang.code}",
            f"not accepted: detected {lang.code} (confidence {lang.confidence:.2f}, {lang.method})",
        )
    return CleanItem(
        **raw.model_dump(exclude={"text", "html", "title", "authors", "schema_version"}),
        title=title,
        html=None,
        text=text,
        authors=authors,
        lang=lang,
        canonical_url=canonical if canonical and canonical != raw.url else None,
    )
