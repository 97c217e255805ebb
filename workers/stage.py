"""What every stage returns when it cannot process a record: errors are values."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from workers.records import Rejected, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Rejection:
    """A stage's refusal: a stable ``reason`` code for machines, ``detail`` for people."""

    stage: str
    reason: str
    detail: str = ""


def decode(stage: str, payload: bytes | None, model: type[M]) -> M | Rejection:
    """Parse a wire record; malformed JSON and schema violations are rejections."""
    if payload is None:
        return Rejection(stage, "invalid_json", "empty payload (tombstone)")
    try:
        return model.model_validate_json(payload)
    except ValidationError as exc:
        kinds = {e["type"] for e in exc.errors()}
        reason = "invalid_json" if kinds & {"json_invalid", "json_type"} else "invalid_schema"
        return Rejection(stage, reason, str(exc).replace("\n", " ")[:500])


#: the longest ``detail`` a rejection carries (it is for people, not for the payload)
MAX_DETAIL_CHARS = 2000


def rejected(
    rejection: Rejection,
    original: bytes | str | None,
    item_id: str | None = None,
    version: int | None = None,
    max_original_bytes: int = 64 * 1024,
    at: datetime | None = None,
) -> Rejected:
    """The news.rejected record for a rejection, with (the start of) the payload as received,
    its size and its hash: a rejection is always small enough to send."""
    if isinstance(original, str):
        original = original.encode("utf-8", errors="replace")
    original = original or b""
    kept = original[:max_original_bytes]
    return Rejected(
        id=item_id,
        version=version,
        stage=rejection.stage,
        reason=rejection.reason,
        detail=rejection.detail[:MAX_DETAIL_CHARS],
        original=kept.decode("utf-8", errors="replace"),
        original_bytes=len(original),
        original_sha256=hashlib.sha256(original).hexdigest(),
        truncated=len(kept) < len(original),
        at=at or utcnow(),
    )


def peek_id(payload: bytes | None) -> tuple[str | None, int | None]:
    """Best-effort id and version of a payload that failed to parse, for accounting.

    Whatever the payload holds, this returns a string or None and a positive int or None:
    a rejection must always be buildable.
    """
    try:
        data = json.loads(payload or b"")
    except (ValueError, TypeError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    raw_id, raw_version = data.get("id"), data.get("version")
    item_id = str(raw_id)[:200] if isinstance(raw_id, str | int) and raw_id != "" else None
    ok = isinstance(raw_version, int) and not isinstance(raw_version, bool) and raw_version >= 1
    return item_id, raw_version if ok else None
