"""Dedup: quality on real copies and hard negatives, then scale, before and after.

    python bench/dedup.py [--per-split N] [--sizes 100000,1000000] [--before-sizes 20000]
                          [--before REF] [--no-scale] [--no-quality]

Quality: real articles from ../shared/data/corpus (workers/corpus.py), split in two by
position (even: the part the settings were tuned on; odd: held out). Each original is
indexed, then copies of it made the ways copies happen (an agency's other lead, a
truncation, a changed headline, boilerplate added, sentences swapped, spelling and quote
variants, headline-only items under publishing marks, an earlier copy that arrives later)
and hard negatives (the other stories of the day, stubs sharing one boilerplate sentence,
"no longer available" notices, live-ticker shells) go through the same function. Printed
per transformation: recall (the copy points at its original) and precision; per negative
set: false merges. ``--strip`` also runs the clean stage's boilerplate rules over the lines
first (what the pipeline does before dedup).

Scale: a fresh process per engine and index size is filled with synthetic items laid out
as the engine stores them, then timed on real articles: items/s, RSS, bytes per item, and
the restart cost (the store rebuilt from its changelog records, then the first item).

"before" is workers/dedup at ``--before`` (git), loaded beside the current one.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import CORPUS  # noqa: E402
from workers.clean.boilerplate import remove_boilerplate  # noqa: E402
from workers.corpus import articles  # noqa: E402
from workers.records import CleanItem, Duplicate, Lang, UniqueItem  # noqa: E402
from workers.settings import DedupSettings, KafkaSettings  # noqa: E402

#: the last commit before dedup was partitioned (workers/dedup as the issue measured it)
BEFORE = "2c69d2e"
T0 = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])")
AGENCIES = ("dpa", "AFP", "Reuters", "epd", "KNA")
PLACES = ("Berlin", "Hamburg", "München", "Kiew", "Brüssel", "Wien", "Frankfurt")
BOILERPLATE_LINES = (
    "Lesen Sie auch: {other}",
    "Mehr zum Thema",
    "Dieser Artikel wurde automatisch aus dem Agenturangebot übernommen und nicht "
    "redaktionell bearbeitet. © dpa-infocom, dpa:250303-99-112233/4",
    "Folgen Sie uns auf Facebook, Instagram und X, um keine Nachricht zu verpassen.",
)
#: one sentence that many short, different items share (agency stubs, notices, shells)
SHARED_SENTENCES = (
    "Weitere Informationen zu dieser Meldung liegen der Redaktion derzeit noch nicht vor, "
    "wir berichten weiter, sobald neue Details bekannt werden.",
    "Diese Meldung wird laufend aktualisiert, bitte laden Sie die Seite in wenigen Minuten "
    "erneut, um die neuesten Entwicklungen zu sehen.",
)
NOTICE = (
    "Dieser Artikel ist leider nicht mehr verfügbar. Die Inhalte wurden aus rechtlichen "
    "Gründen depubliziert und können nicht mehr abgerufen werden."
)
SHELL = (
    "Alle aktuellen Entwicklungen im Überblick. Dieser Liveblog wird laufend aktualisiert, "
    "die neuesten Einträge stehen oben."
)


# ------------------------------------------------------------------------------- engines


class Engine:
    """One dedup implementation in-process: an item in, the outcomes it caused out."""

    def __init__(self, name: str, module: ModuleType, settings: DedupSettings) -> None:
        self.name = name
        self.module = module
        self.settings = settings
        self.store: dict[str, Any] = {}
        self.index = module.DedupIndex(self.store, settings)

    def process(self, item: CleanItem, now: datetime) -> list[UniqueItem | Duplicate]:
        if hasattr(self.index, "run"):
            return self.index.run(item, now)
        return [self.module.dedup(item, self.index, now)]


def load_before(ref: str) -> ModuleType | None:
    """workers/dedup at a git ref, importable as ``dedup_before``; None without git."""
    target = Path(tempfile.mkdtemp(prefix="dedup-before-")) / "dedup_before"
    target.mkdir()
    try:
        names = subprocess.run(
            ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{ref}:workers/dedup"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for name in names:
            source = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{ref}:workers/dedup/{name}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            (target / name).write_text(source.replace("workers.dedup.", "dedup_before."))
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"before: cannot read workers/dedup at {ref}: {exc}", file=sys.stderr)
        return None
    sys.path.insert(0, str(target.parent))
    import dedup_before.stage as module

    return module


def current() -> ModuleType:
    import workers.dedup.stage as module

    return module


# ------------------------------------------------------------------------------- quality


@dataclass(frozen=True)
class Case:
    item: CleanItem
    group: str  # transformation or negative set
    expect: str | None  # the id it is a copy of; None: unique


def clean_item(
    item_id: str, title: str, text: str, published: datetime, version: int = 1
) -> CleanItem:
    return CleanItem(
        id=item_id,
        version=version,
        url=f"https://news{zlib.crc32(item_id.encode()) % 7}.example/{item_id}",
        title=title,
        text=text,
        published_at=published,
        fetched_at=published,
        run_id="bench",
        lang=Lang(code="de", confidence=1.0),
    )


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text.replace("\n", " ")) if s.strip()]


def corpus_split() -> dict[str, list[tuple[str, list[str]]]]:
    split: dict[str, list[tuple[str, list[str]]]] = {"tune": [], "held": []}
    for n, article in enumerate(articles(CORPUS)):
        parts = sentences(article.text)
        if article.title and len(parts) >= 6 and len(article.text.split()) >= 150:
            split["tune" if n % 2 == 0 else "held"].append((article.title, parts))
    return split


def spelling(text: str, rng: random.Random) -> str:
    text = re.sub(r"[„“”»«]", '"', text).replace("‚", "'").replace("‘", "'").replace("’", "'")
    text = text.replace("ß", "ss").replace("dass", "daß")
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = re.sub(a, lambda m, b=b: b if rng.random() < 0.5 else m.group(0), text)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=max(1, len(words) // 40)):  # a few typos
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def cases(split: list[tuple[str, list[str]]], n: int, seed: int) -> tuple[list[Case], list[Case]]:
    """(originals, then copies and negatives in a shuffled order)."""
    rng = random.Random(seed)
    # disjoint pools, so one test does not disturb another
    small = n // 3
    stories, headlines = split[:n], split[n : 2 * n]
    early, updates = split[2 * n : 2 * n + small], split[2 * n + small : 2 * n + 2 * small]
    negatives = split[2 * n + 2 * small : 3 * n + 2 * small]
    first: list[Case] = []
    later: list[Case] = []
    for i, (title, parts) in enumerate(early):
        # an earlier copy that arrives late: the first to come must become its copy
        published = T0 + timedelta(minutes=7 * i + 5)
        item = clean_item(f"e{i}", title, " ".join(parts), published)
        first.append(Case(item, "earlier copy", f"early{i}"))
        early_at = published - timedelta(hours=2)
        copy = clean_item(f"early{i}", title, " ".join(parts[1:]), early_at)
        later.append(Case(copy, "original", None))
    for i, (title, parts) in enumerate(stories):
        oid = f"o{i}"
        published = T0 + timedelta(minutes=7 * i)
        text = " ".join(parts)
        first.append(Case(clean_item(oid, title, text, published), "original", None))
        at = published + timedelta(hours=rng.uniform(0.2, 30))
        agency, place = rng.choice(AGENCIES), rng.choice(PLACES)
        lead = (
            f"{place} ({agency}) - Nach Angaben von {agency} gibt es neue Entwicklungen, über "
            f"die am Abend auch in {place} berichtet wurde."
        )
        other = stories[(i + 1) % len(stories)][0]
        boiler = [BOILERPLATE_LINES[0].format(other=other), *BOILERPLATE_LINES[1:]]
        swapped = list(parts)
        for j in range(0, len(swapped) - 1, 3):
            swapped[j], swapped[j + 1] = swapped[j + 1], swapped[j]
        words = title.split()
        variants = {
            "agency lead": (title, " ".join([lead, *parts[2:]])),
            "truncated": (title, " ".join(parts[: max(3, len(parts) // 2)])),
            "headline changed": (
                " ".join(rng.sample(words, len(words))) + " - was bisher bekannt ist",
                text,
            ),
            "boilerplate added": (title, "\n\n".join([boiler[0], *parts, *boiler[1:]])),
            "sentences swapped": (title, " ".join(swapped)),
            "spelling, quotes": (spelling(title, rng), spelling(text, rng)),
        }
        for group, (t, body) in variants.items():
            later.append(Case(clean_item(f"{group[:4]}{i}", t, body, at), group, oid))
    for i, (title, parts) in enumerate(updates):
        # the same URL with a changed text: an update of the original, not a copy
        published = T0 + timedelta(minutes=7 * i + 6)
        uid = f"u{i}"
        first.append(Case(clean_item(uid, title, " ".join(parts), published), "original", None))
        edited = " ".join([*parts[:-1], "Korrektur: In einer früheren Fassung hieß es anders."])
        later.append(Case(clean_item(uid, title, edited, published, version=2), "update", uid))
    for i, (title, parts) in enumerate(negatives):
        # hard negatives: short items of the day sharing one boilerplate sentence, notices,
        # live-ticker shells; each tells other news
        at = T0 + timedelta(minutes=7 * i + 2)
        shared = SHARED_SENTENCES[i % len(SHARED_SENTENCES)]
        later.append(
            Case(clean_item(f"stub{i}", title, f"{parts[0]} {shared}", at), "stub (neg)", None)
        )
        later.append(Case(clean_item(f"gone{i}", title, NOTICE, at), "notice (neg)", None))
        shell = clean_item(
            f"tick{i}", "+++ Liveblog +++ Die Lage am Tag", f"{SHELL} {parts[1]}", at
        )
        later.append(Case(shell, "ticker shell (neg)", None))
    for i, (title, _) in enumerate(headlines):
        hid = f"h{i}"
        published = T0 + timedelta(minutes=7 * i + 3)
        first.append(Case(clean_item(hid, title, "", published), "original", None))
        marked = rng.choice(
            [f"dpa: {title}", f"+++ Liveblog +++ {title}", f"{title} - Liveblog", f"„{title}“"]
        )
        at = published + timedelta(hours=1)
        later.append(Case(clean_item(f"hl{i}", marked, "", at), "headline-only", hid))
    rng.shuffle(later)
    return first, later


def strip_lines(case: Case) -> Case:
    lines = case.item.text.split("\n\n")
    text = "\n\n".join(remove_boilerplate(lines))
    return Case(case.item.model_copy(update={"text": text}), case.group, case.expect)


def quality(engine: Engine, first: list[Case], later: list[Case]) -> dict[str, Counter[str]]:
    now = T0 + timedelta(days=3)
    final: dict[str, UniqueItem | Duplicate] = {}
    for case in [*first, *later]:
        for outcome in engine.process(case.item, now):
            prior = final.get(outcome.id)
            if prior is None or outcome.version >= prior.version:
                final[outcome.id] = outcome
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for case in [*first, *later]:
        got = final[case.item.id]
        c = stats[case.group]
        c["n"] += 1
        if case.group == "update":
            ok = isinstance(got, UniqueItem) and got.version >= 2 and got.id == case.expect
            c["tp" if ok else "fn"] += 1
        elif case.expect is None:
            c["fp" if isinstance(got, Duplicate) else "tn"] += 1
        elif isinstance(got, Duplicate) and got.duplicate_of == case.expect:
            c["tp"] += 1
        else:
            c["fn"] += 1
            if isinstance(got, Duplicate):
                c["fp"] += 1  # merged, but with the wrong story
    return stats


def print_quality(name: str, split: str, stats: dict[str, Counter[str]]) -> None:
    print(f"\n{name}, {split} split")
    print(f"  {'set':<22}{'n':>6}{'recall':>9}{'precision':>11}{'false merges':>14}")
    tp = fp = 0
    for group in sorted(stats, key=lambda g: (g.endswith("(neg)") or g == "original", g)):
        c = stats[group]
        tp, fp = tp + c["tp"], fp + c["fp"]
        if c["tp"] + c["fn"]:
            recall = c["tp"] / (c["tp"] + c["fn"])
            precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
            print(f"  {group:<22}{c['n']:>6}{recall:>9.3f}{precision:>11.3f}{'':>14}")
        else:
            print(f"  {group:<22}{c['n']:>6}{'':>9}{'':>11}{c['fp']:>14}")
    print(f"  {'all':<22}{'':>6}{'':>9}{tp / max(tp + fp, 1):>11.3f}")


# --------------------------------------------------------------------------------- scale


def rss() -> int:
    """Resident bytes, after handing freed heap back to the system (glibc)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def real_items(n: int, base: datetime) -> list[CleanItem]:
    return [
        clean_item(f"r{i}", a.title, a.text, base + timedelta(seconds=i))
        for i, a in enumerate(islice(articles(CORPUS), n))
        if a.text
    ]


def fill_before(module: ModuleType, store: dict[str, Any], n: int, s: DedupSettings) -> None:
    """The layout the old stage wrote: url/text entries, a verdict, 128 ints per signature."""
    rng = random.Random(1)
    at = T0.isoformat()
    for i in range(n):
        item_id = f"{i:016x}"
        entry = {"id": item_id, "cluster": item_id}
        store[f"url:https://fill.example/{item_id}"] = entry
        chash = f"{rng.getrandbits(256):064x}"
        store[f"text:{chash}"] = entry
        store[f"mh:{item_id}"] = [rng.getrandbits(32) for _ in range(s.num_perm)]
        store[f"item:{item_id}"] = {
            "version": 1,
            "processed_at": at,
            "hash": chash,
            "kind": None,
            "of": None,
            "similarity": 1.0,
            "cluster": item_id,
        }


def fill_after(module: ModuleType, store: dict[str, Any], n: int, s: DedupSettings) -> None:
    """The layout of workers/dedup/state.py, written in bulk (numpy) rather than item by item:
    slot records, item entries, horizon chunks, verdicts."""
    import numpy as np

    from workers.dedup.state import BAND, CHUNK, DAY, EXACT, MEMBER, Entry, Verdict, digest

    rng = np.random.default_rng(1)
    ids = [f"{i:016x}" for i in range(n)]
    items = np.array([digest(i) for i in ids], dtype=np.uint64)
    published = (int(T0.timestamp() * 1000) + rng.integers(0, 2 * DAY, n)).astype(np.int64)
    exact = rng.integers(0, 2**63, size=(n, 2), dtype=np.uint64)
    per_item = s.bands + 1  # and the lead band
    bands = rng.integers(0, 2**63, size=(n, per_item), dtype=np.uint64)
    bits = rng.integers(0, 256, size=(n, s.num_perm), dtype=np.uint8)
    records = np.empty(n * 2, EXACT)
    records["tag"], records["published"] = exact.ravel(), np.repeat(published, 2)
    records["item"] = np.repeat(items, 2)
    slots = exact.ravel() % np.uint64(s.exact_slots)
    buckets: dict[int, set[int]] = defaultdict(set)  # item -> buckets it wrote to
    _group(store, "e", slots, records)
    band = np.empty(n * per_item, BAND)
    band["tag"] = (bands.ravel() >> np.uint64(32)).astype(np.uint32)
    band["day"] = np.repeat(published // DAY, per_item).astype(np.uint16)
    band["item"] = np.repeat(items, per_item)
    _group(store, "b", bands.ravel() % np.uint64(s.band_slots), band)
    item_buckets = np.concatenate(
        [slots.reshape(n, 2), (bands % np.uint64(s.band_slots))], axis=1
    ) % np.uint64(KafkaSettings().partitions)  # one bucket per partition of the probes
    chunks: dict[tuple[int, int], list[bytes]] = defaultdict(list)
    days = published // DAY
    at = T0
    for i, item_id in enumerate(ids):
        store[f"i:{int(items[i]):016x}"] = Entry(
            item_id, int(published[i]), 300, bits[i].tobytes()
        ).encode()
        store[f"v:{item_id}"] = Verdict(
            id=item_id,
            version=1,
            content_hash=f"{int(exact[i, 1]):064x}",
            processed_at=at,
            published=int(published[i]),
            cluster=item_id,
            url=f"https://www.publisher.example/politik/{item_id}-ein-langer-pfad.html",
            title="Ein Titel von durchschnittlicher Länge über die Nachricht des Tages",
        ).encode()
        for b in set(item_buckets[i].tolist()):
            buckets[i].add(b)
            chunks[(b, int(days[i]))].append(MEMBER.pack(int(items[i]), False))
    for (b, day), members in chunks.items():
        for c in range(0, len(members), CHUNK):
            store[f"x:b{b}:{day}:{c // CHUNK}"] = b"".join(members[c : c + CHUNK])
        store[f"xn:b{b}:{day}"] = str(len(members)).encode()
        store.setdefault(f"xd:b{b}", str(day).encode())


def _group(store: dict[str, Any], prefix: str, slots: Any, records: Any) -> None:
    import numpy as np

    order = np.argsort(slots, kind="stable")
    slots, records = slots[order], records[order]
    bounds = np.flatnonzero(np.diff(slots)) + 1
    for chunk_slots, chunk in zip(np.split(slots, bounds), np.split(records, bounds), strict=True):
        store[f"{prefix}:{int(chunk_slots[0])}"] = chunk.tobytes()


def scale_one(engine_name: str, n: int, before_ref: str) -> dict[str, float]:
    """In this (fresh) process: fill an index of n items, then time and measure it."""
    s = DedupSettings()
    module = load_before(before_ref) if engine_name == "before" else current()
    assert module is not None
    base_items = real_items(400, T0 + timedelta(days=2))
    start_rss = rss()
    engine = Engine(engine_name, module, s)
    t = time.perf_counter()
    (fill_before if engine_name == "before" else fill_after)(module, engine.store, n, s)
    fill = time.perf_counter() - t
    now = T0 + timedelta(days=3)
    engine.process(base_items[0], now)  # the old index builds its LSH on the first item
    used = rss() - start_rss
    # CPU seconds of this process: the machine is shared, wall time says more about the others
    t = time.process_time()
    for item in base_items[1:]:
        engine.process(item, now)
    per_s = (len(base_items) - 1) / (time.process_time() - t)
    # restart: the store as its changelog replays it into a new worker, then the first item
    pairs = list(engine.store.items())
    t = time.process_time()
    restored: dict[str, Any] = dict(pairs)
    replay_s = time.process_time() - t
    del pairs
    engine.index = module.DedupIndex(restored, s)
    t = time.process_time()
    engine.process(clean_item("restart", base_items[1].title, base_items[1].text, now), now)
    first_s = time.process_time() - t
    stored = sum(len(k) + _size(v) for k, v in restored.items())
    heap = sys.getsizeof(restored) + sum(
        sys.getsizeof(k) + sys.getsizeof(v) for k, v in restored.items()
    )
    return {
        "items/s": per_s,
        "rss_mb": used / 2**20,
        "rss_per_item": used / n,
        "stored_per_item": stored / n,
        "heap_per_item": heap / n,
        "changelog_read_s": replay_s,
        "first_item_s": first_s,
        "fill_s": fill,
    }


def _size(value: Any) -> int:
    if isinstance(value, bytes):
        return len(value)
    return len(json.dumps(value, separators=(",", ":")))


def scale(sizes: list[int], before_sizes: list[int], before_ref: str) -> None:
    print(
        "\nscale: an index of N items, then 399 real articles through it (fresh process each;"
        " times in CPU seconds of that process)"
    )
    header = (
        f"  {'engine':<8}{'N':>9}{'items/s':>9}{'RSS MB':>9}{'RSS/item':>10}{'stored/item':>13}"
        f"{'dict/item':>11}"
        f"{'changelog read':>16}{'first item':>12}"
    )
    print(header)
    runs = [("before", n) for n in before_sizes] + [("after", n) for n in sizes]
    for name, n in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--scale-one", name, str(n), "--before", before_ref],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            print(f"  {name:<8}{n:>9}  failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {name:<8}{n:>9}{r['items/s']:>9.0f}{r['rss_mb']:>9.0f}{r['rss_per_item']:>10.0f}"
            f"{r['stored_per_item']:>13.0f}{r['heap_per_item']:>11.0f}{r['changelog_read_s']:>15.2f}s"
            f"{r['first_item_s']:>11.3f}s"
        )


# ---------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-split", type=int, default=150, help="originals per split")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--before-sizes", default="20000,100000")
    parser.add_argument("--before", default=BEFORE, help="git ref of the old workers/dedup")
    parser.add_argument("--strip", action="store_true", help="boilerplate rules before dedup")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--scale-one", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one[0], int(args.scale_one[1]), args.before)))
        return
    if not args.no_quality:
        split = corpus_split()
        if not split["tune"]:
            print(f"quality: no corpus under {CORPUS}: skipped")
        else:
            before = load_before(args.before)
            engines: list[tuple[str, Callable[[], Engine]]] = [
                ("after", lambda: Engine("after", current(), DedupSettings()))
            ]
            if before is not None:
                engines.insert(0, ("before", lambda: Engine("before", before, DedupSettings())))
            for part in ("tune", "held"):
                first, later = cases(split[part], args.per_split, seed=7)
                if args.strip:
                    first, later = [strip_lines(c) for c in first], [strip_lines(c) for c in later]
                for name, make in engines:
                    print_quality(name, part, quality(make(), first, later))
    if not args.no_scale:
        scale(
            [int(n) for n in args.sizes.split(",") if n],
            [int(n) for n in args.before_sizes.split(",") if n],
            args.before,
        )


if __name__ == "__main__":
    main()
