"""What every stage returns when it cannot process a record: errors are values."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
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


def run_stage(stage: str, fn: Callable[..., T], *args: object) -> T | Rejection:
    """Run a stage function; an exception is a bug, but it becomes a rejection, not a crash."""
    try:
        return fn(*args)
    except Exception as exc:
        log.exception("stage %s failed", stage)
        return Rejection(stage, "exception", f"{type(exc).__name__}: {exc}")


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


def rejected(
    rejection: Rejection,
    original: bytes | str | None,
    item_id: str | None = None,
    version: int | None = None,
) -> Rejected:
    """The news.rejected record for a rejection, with the payload as received."""
    if isinstance(original, bytes):
        original = original.decode("utf-8", errors="replace")
    return Rejected(
        id=item_id,
        version=version,
        stage=rejection.stage,
        reason=rejection.reason,
        detail=rejection.detail,
        original=original or "",
        at=utcnow(),
    )


def peek_id(payload: bytes | None) -> tuple[str | None, int | None]:
    """Best-effort id and version of a payload that failed to parse, for accounting."""
    try:
        data = json.loads(payload or b"")
        return (str(data["id"]) if data.get("id") else None, data.get("version"))
    except (ValueError, AttributeError, TypeError):
        return None, None
