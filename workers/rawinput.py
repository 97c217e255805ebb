"""Input rows (a JSON line, a CSV row) as raw items: the one mapping `enrich` and backfill use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workers.identity import item_id, stable_id
from workers.records import RawItem, Source


def raw_from_input(data: dict[str, Any], run_id: str, fetched_at: datetime) -> RawItem:
    """Map an input line (`id`?, `url`?, `title`, `text` or `html`, `published`?, `source`?)."""
    if not isinstance(data, dict):
        raise ValueError("a line must be a JSON object")
    source = data.get("source")
    body = f"{data.get('title', '')}\n{data.get('text') or data.get('html') or ''}"
    return RawItem(
        id=str(data.get("id") or item_id(data.get("url"), fallback=stable_id(body))),
        version=int(data.get("version", 1)),
        url=data.get("url"),
        source=Source(**source) if isinstance(source, dict) else Source(publisher=source),
        title=data.get("title") or "",
        summary=data.get("summary"),
        text=data.get("text"),
        html=data.get("html"),
        authors=data.get("authors") or [],
        published_at=data.get("published") or data.get("published_at"),
        fetched_at=fetched_at,
        language_hint=data.get("language") or data.get("language_hint"),
        origin="backfill",
        run_id=run_id,
    )
