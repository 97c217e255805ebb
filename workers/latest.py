"""The consumer contract: the latest version of each id, each (id, version) once.

Delivery is at least once, so after a worker dies a subscriber may be handed an
(id, version) it has already had, or an older version after a newer one. A reader
that keeps what :class:`Latest` admits sees every item once per version, in
increasing version order; a corrected item (same id, higher version) replaces the
one before. ``lagebild subscribe`` reads this way; other subscribers should too
(on a compacted topic the last record of a key is the latest version).
"""

from __future__ import annotations


class Latest:
    """Admits a record when its version is higher than any seen before for its id."""

    def __init__(self) -> None:
        self.versions: dict[str, int] = {}

    def admit(self, item_id: str, version: int) -> bool:
        if self.versions.get(item_id, 0) >= version:
            return False
        self.versions[item_id] = version
        return True
