"""Readable one-record views for the live view and `lagebild subscribe`."""

from __future__ import annotations

from rich.text import Text

from workers.records import Duplicate, EnrichedItem, Rejected

MAX_ENTITIES = 5


def render_enriched(item: EnrichedItem) -> Text:
    line = Text()
    line.append("✔ ", style="green bold")
    line.append(item.title or "(ohne Titel)", style="bold")
    line.append(f"  · {item.source.publisher or '?'}", style="dim")
    if item.version > 1:
        line.append(f"  v{item.version}", style="yellow")
    topics = ", ".join(f"{t.label} {t.score:.1f}" for t in item.topics) or "–"
    line.append("\n    Themen: ", style="dim")
    line.append(topics, style="cyan")
    names = ", ".join(e.name for e in item.entities[:MAX_ENTITIES]) or "–"
    line.append("\n    Entitäten: ", style="dim")
    line.append(names)
    line.append(f"\n    Dedup: unique (cluster {item.dedup.cluster_id})", style="dim")
    return line


def render_duplicate(dup: Duplicate) -> Text:
    line = Text()
    line.append("≡ ", style="yellow bold")
    line.append(dup.title or dup.id)
    line.append(
        f"\n    Dedup: {dup.kind} duplicate of {dup.duplicate_of} "
        f"(similarity {dup.similarity:.2f})",
        style="yellow",
    )
    return line


def render_rejected(rej: Rejected) -> Text:
    line = Text()
    line.append("✖ ", style="red bold")
    line.append(f"{rej.id or '(no id)'} rejected at {rej.stage}: {rej.reason}", style="red")
    if rej.detail:
        line.append(f"\n    {rej.detail[:200]}", style="dim")
    return line
