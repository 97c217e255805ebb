"""Write workers/tagging/data/war_places.txt: the knowledge base's places of the war.

`python scripts/war_places.py` after the knowledge base is rebuilt. A headline that names a
village of Ukraine ("Nowodariwka befreit") or of the Russian border oblasts the war reached
(Kursk, Belgorod) is in the war, though the hand-written `context_entities` of
data/topics.toml list only the towns everyone knows: the taxonomy reads this file as more of
them (`context_entities_file`). A place is one of the war's when its chain of parents in the
knowledge base reaches Ukraine, the Crimea or one of those oblasts.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "workers" / "tagging" / "data"
#: Ukraine, the Crimea, Sevastopol, the oblasts of Kursk and Belgorod (Wikidata ids)
ROOTS = frozenset({"Q212", "Q7835", "Q7525", "Q3178", "Q3329"})


def war_places(kb: Path = DATA / "kb.jsonl.gz") -> list[str]:
    """The ids of every LOC entity below one of ROOTS (the roots themselves excluded)."""
    with gzip.open(kb, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    parent = {r["id"]: r.get("parent") for r in rows}

    def in_war(key: str) -> bool:
        seen: set[str] = set()
        at = parent.get(key)
        while at and at not in seen:
            if at in ROOTS:
                return True
            seen.add(at)
            at = parent.get(at)
        return False

    return sorted(r["id"] for r in rows if r.get("type") == "LOC" and in_war(r["id"]))


def main() -> None:
    ids = war_places()
    out = DATA / "war_places.txt"
    header = "# made by scripts/war_places.py from kb.jsonl.gz: places of the war, one id a line\n"
    out.write_text(header + "".join(f"{i}\n" for i in ids), encoding="utf-8")
    print(f"{out}: {len(ids)} places")


if __name__ == "__main__":
    main()
