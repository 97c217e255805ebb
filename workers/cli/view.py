"""Readable one-record views for the live view and `lagebild subscribe`, and their order.

Topics show their label and the id that ``--topic`` takes; a duplicate shows
its publisher and comes right under the item it repeats (:class:`LiveOrder`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from rich.text import Text

from workers.dashboard.state import publisher_of
from workers.records import Duplicate, EnrichedItem, Rejected

MAX_ENTITIES = 5


def render_enriched(item: EnrichedItem) -> Text:
    line = Text()
    line.append("✔ ", style="green bold")
    line.append(item.title or "(ohne Titel)", style="bold")
    line.append(f"  · {item.source.publisher or publisher_of(item.url) or '?'}", style="dim")
    if item.version > 1:
        line.append(f"  v{item.version}", style="yellow")
    line.append("\n    Themen: ", style="dim")
    if item.topics:
        for i, t in enumerate(item.topics):
            line.append(", " if i else "")
            line.append(t.label, style="cyan")
            line.append(f" [{t.id}] {t.score:.1f}", style="dim")
    else:
        line.append("–")
    names = ", ".join(e.name for e in item.entities[:MAX_ENTITIES]) or "–"
    line.append("\n    Entitäten: ", style="dim")
    line.append(names)
    line.append(f"\n    Dedup: unique (cluster {item.dedup.cluster_id})", style="dim")
    return line


def render_duplicate(dup: Duplicate, original: str | None = None) -> Text:
    """Under its original (``original`` is then its title), indented; alone, it names the id."""
    line = Text()
    indent = "    " if original is not None else ""
    line.append(f"{indent}≡ ", style="yellow bold")
    line.append(dup.title or dup.id)
    line.append(f"  · {publisher_of(dup.url) or '?'}", style="dim")
    target = "the item above" if original is not None else dup.duplicate_of
    line.append(
        f"\n{indent}    Dedup: {dup.kind} duplicate of {target} (similarity {dup.similarity:.2f})",
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


@dataclass
class LiveOrder:
    """Puts each duplicate under its original, though the two come on different topics.

    A duplicate whose original was shown is shown at once, indented; one whose
    original has not come yet waits for it up to ``wait`` seconds, then shows
    alone (its original may have been shown before this view started).
    """

    wait: float = 5.0
    remember: int = 5000
    shown: OrderedDict[str, str] = field(default_factory=OrderedDict)  # id -> title
    waiting: dict[str, list[tuple[float, Duplicate]]] = field(default_factory=dict)

    def add(self, record: EnrichedItem | Duplicate | Rejected, now: float) -> list[Text]:
        if isinstance(record, EnrichedItem):
            self.shown[record.id] = record.title
            while len(self.shown) > self.remember:
                self.shown.popitem(last=False)
            out = [render_enriched(record)]
            out += [render_duplicate(d, record.title) for _, d in self.waiting.pop(record.id, [])]
            return out
        if isinstance(record, Duplicate):
            if record.duplicate_of in self.shown:
                return [render_duplicate(record, self.shown[record.duplicate_of])]
            self.waiting.setdefault(record.duplicate_of, []).append((now, record))
            return []
        return [render_rejected(record)]

    def due(self, now: float) -> list[Text]:
        """Duplicates that waited long enough for an original that did not come."""
        out = []
        for original, queued in list(self.waiting.items()):
            late = [d for at, d in queued if now - at >= self.wait]
            if late:
                out += [render_duplicate(d) for d in late]
                rest = [(at, d) for at, d in queued if now - at < self.wait]
                if rest:
                    self.waiting[original] = rest
                else:
                    del self.waiting[original]
        return out
