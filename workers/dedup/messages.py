"""The records dedup sends itself between its two stages (internal topics, not the contract).

``news.dedup-probes`` (keyed by bucket, so every index key always meets the same partition)
carries a :class:`Probe`; ``news.dedup-signals`` (keyed by item id, like news.clean) carries
a :class:`Signal`: the answers to an item's probes, and the corrections and memberships that
keep one head per story.
"""

from __future__ import annotations

import base64
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer

from workers.records import STRICT, DuplicateKind, Record

Kind = Literal["url", "text", "title", "near"]

#: bytes in Python, base64 in JSON
Base64 = Annotated[
    bytes,
    BeforeValidator(lambda v: base64.b64decode(v) if isinstance(v, str) else v),
    PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), when_used="json"),
]


class Probe(Record):
    """An item's index keys of one bucket: look them up, add the item, answer."""

    id: str
    attempt: int = Field(description="the item's version this probe is for")
    published: int = Field(description="epoch ms: the earliest published copy is the head")
    bucket: int
    exact: list[tuple[Kind, int, int]] = Field(
        default_factory=list, description="(kind, slot, tag) of the exact keys"
    )
    bands: list[tuple[int, int]] = Field(
        default_factory=list, description="(slot, tag) of the LSH bands"
    )
    sketch: Base64 | None = Field(None, description="b-bit MinHash signature")
    size: int = Field(0, description="shingles in the item")
    home: bool = Field(False, description="this bucket tells the item when it left the horizon")


class Match(BaseModel):
    model_config = STRICT

    id: str
    published: int
    kind: Kind
    similarity: float = Field(ge=0.0, le=1.0)


class Signal(Record):
    """To the dedup stage of item ``id``:

    - ``answer``: what one bucket of its probes found (``bucket``, ``matches``)
    - ``correction``: ``head`` (published ``head_published``) is an earlier copy of it
    - ``member``: item ``member`` is now a copy of it (a head remembers its copies)
    - ``forget``: it left the horizon of the index: its verdict goes too
    """

    type: Literal["answer", "correction", "member", "forget"]
    id: str
    attempt: int = 0
    bucket: int = 0
    matches: list[Match] = Field(default_factory=list)
    head: str | None = None
    head_published: int = 0
    kind: DuplicateKind = "near"
    similarity: float = Field(1.0, ge=0.0, le=1.0)
    member: str | None = None
    member_published: int = 0
