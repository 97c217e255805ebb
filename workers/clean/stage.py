"""The clean stage: raw item in, clean item (or a rejection) out.

Pure and synchronous: no network here. Items that carry only a teaser get their
page fetched by the fetch stage (``workers.clean.fetch``) and come back here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workers.clean.boilerplate import Rule, clean_blocks, default_rules, load_rules
from workers.clean.extract import extract_html, looks_binary, summary_text
from workers.clean.language import UNDETERMINED, detect_language, language_sample
from workers.clean.normalize import fold_line, text_blocks
from workers.records import CleanItem, FetchedItem, RawItem
from workers.settings import CleanSettings
from workers.stage import Rejection

STAGE = "clean"


@cache
def _rules(path: Path | None) -> tuple[Rule, ...]:
    return default_rules() if path is None else load_rules(path)


def clean(
    raw: RawItem, settings: CleanSettings, page_error: str | None = None
) -> CleanItem | Rejection:
    """Extract and normalize the text, remove boilerplate and decide the language.

    HTML wins over plain text when the item carries both: it holds the whole
    article, where feed text is often a teaser. HTML that extracts to nothing
    falls back to the feed's text or teaser (a degraded but valid record), and so
    does a teaser-only item whose page could not be fetched (``page_error``).
    """
    if isinstance(raw, FetchedItem) and raw.page.status == "failed":
        page_error = raw.page.reason
    rules = _rules(settings.boilerplate_file)
    authors, canonical, published_at = raw.authors, None, raw.published_at
    title = fold_line(raw.title)
    teaser = (
        "\n\n".join(clean_blocks(text_blocks(summary_text(raw.summary)), rules))
        if raw.summary
        else ""
    )
    paragraphs: list[str] = []
    site_name = image_url = None
    if raw.html:
        why = looks_binary(raw.html)
        if why:
            return Rejection(STAGE, "not_html", why)
        extracted = extract_html(raw.html, raw.url, settings.max_html_chars, settings.max_html_tags)
        paragraphs = clean_blocks(text_blocks(extracted.text, lines_are_paragraphs=True), rules)
        heading = (title or extracted.title or "").casefold()
        if paragraphs and heading and paragraphs[0].casefold() == heading:
            paragraphs = paragraphs[1:]  # the page's h1 repeats the title
        authors = authors or extracted.authors
        canonical = extracted.canonical_url
        published_at = published_at or extracted.published_at
        title = title or fold_line(extracted.title or "")
        site_name, image_url = extracted.sitename, extracted.image
    source = "html" if paragraphs else "text" if raw.text else "summary"
    if not paragraphs:
        body = raw.text or (summary_text(raw.summary) if raw.summary else "")
        paragraphs = clean_blocks(text_blocks(body), rules)
    text = "\n\n".join(paragraphs)
    if not text:
        source = "title"
    if not text and not title:
        return Rejection(STAGE, "empty", "neither title nor text after extraction")
    sample = language_sample(title, teaser, text)
    lang = detect_language(sample, raw.language_hint, settings)
    if lang.code == UNDETERMINED and UNDETERMINED not in settings.accept_languages:
        return Rejection(
            STAGE,
            "language:undetermined",
            f"too little text to tell its language ({len(sample)} characters) and no feed hint",
        )
    if lang.code not in settings.accept_languages:
        return Rejection(
            STAGE,
            f"language:{lang.code}",
            f"not accepted: detected {lang.code} (confidence {lang.confidence:.2f}, {lang.method})",
        )
    return CleanItem(
        **raw.model_dump(
            exclude={"text", "html", "title", "authors", "published_at", "page", "schema_version"}
        ),
        title=title,
        html=None,
        text=text,
        authors=authors,
        published_at=published_at,
        lang=lang,
        canonical_url=canonical if canonical and canonical != raw.url else None,
        site_name=site_name,
        image_url=image_url,
        word_count=len(text.split()),
        text_source=source,
        page_error=page_error,
    )
