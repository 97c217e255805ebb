"""Exact-duplicate keys: a content hash that ignores case, punctuation and spacing."""

from __future__ import annotations

import hashlib
import re

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def content_hash(text: str) -> str:
    """SHA-256 over the words of the text: the same article re-typeset hashes the same."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()
