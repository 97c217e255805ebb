"""Title-only topic and language quality on a labelled headline file.

The file has one JSON object per line: ``title`` and one boolean per topic id
(``{"title": "...", "outlet": "...", "desertion": false, "kursk": false}``). Every
headline runs alone, with no teaser and no language hint, through the callable the
caller passes (the service's clean and tag functions), as a feed item that carries
only its title would.

The rows are split in two halves by a hash of the headline text, the same on every
machine and run: rules are tuned on ``tune`` and judged on ``held-out``, and the
two are reported apart so a gain that is only memorised shows.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from workers.evaluate.counts import Counts
from workers.records import EnrichedItem, Rejected
from workers.stage import Rejection

Half = Literal["tune", "held-out"]
HALVES: tuple[Half, ...] = ("tune", "held-out")
#: (title, text) -> the service's result for a feed item with only that
Enrich = Callable[[str, str], EnrichedItem | Rejected | Rejection]
NOT_LABELS = frozenset({"title", "outlet", "date", "text", "summary", "url"})


@dataclass(frozen=True)
class Headline:
    title: str
    labels: dict[str, bool]


def half(title: str) -> Half:
    """Tune or held-out, from the headline text alone (whitespace-normalised)."""
    digest = hashlib.sha256(" ".join(title.split()).encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "held-out"


def judge_half(title: str) -> Literal["dev", "judge"]:
    """Which half of a judge set of our own headlines a title is in: rules may be tuned
    on 'dev' (its errors looked at); 'judge' is scored, never looked into."""
    digest = hashlib.sha256(("judge|" + " ".join(title.split())).encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "judge"


def is_headline_file(path: Path) -> bool:
    """A headline file's first row has a title and boolean labels, no article ``file``."""
    with path.open(encoding="utf-8") as lines:
        first = next((line for line in lines if line.strip()), "")
    try:
        row = json.loads(first)
    except json.JSONDecodeError:
        return False
    return (
        isinstance(row, dict)
        and "file" not in row
        and isinstance(row.get("title"), str)
        and any(isinstance(v, bool) for v in row.values())
    )


def read_headlines(path: Path) -> list[Headline]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("title"), str):
            raise ValueError(f"{path}:{number}: a row needs a title")
        labels = {k: v for k, v in row.items() if k not in NOT_LABELS and isinstance(v, bool)}
        rows.append(Headline(row["title"], labels))
    return rows


@dataclass
class HalfReport:
    """One half's figures: topics over the headlines kept, language over all of them."""

    total: int = 0
    kept: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    topics: dict[str, Counts] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)  # false positives, with evidence
    missed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def kept_share(self) -> float:
        return self.kept / self.total if self.total else 0.0


def evaluate_headlines(
    rows: Iterable[Headline], enrich: Enrich, halves: Iterable[Half] = HALVES
) -> dict[Half, HalfReport]:
    """Each headline of the chosen halves through ``enrich``; a rejected one counts as
    untagged (a miss when it was a positive) and by its reason."""
    import time

    wanted = tuple(halves)
    reports: dict[Half, HalfReport] = {h: HalfReport() for h in wanted}
    for row in rows:
        which = half(row.title)
        if which not in reports:
            continue
        report = reports[which]
        started = time.perf_counter()
        result = enrich(row.title, "")
        report.seconds += time.perf_counter() - started
        report.total += 1
        if isinstance(result, (Rejected, Rejection)):
            report.rejected[result.reason] += 1
            topics = {}
        else:
            report.kept += 1
            topics = {t.id: t.evidence for t in result.topics}
        for topic, expected in row.labels.items():
            got = topic in topics
            report.topics.setdefault(topic, Counts()).add(got, expected)
            if got and not expected:
                report.wrong.append(f"{topic}: {row.title}  <- {topics[topic][:3]}")
            elif expected and not got:
                report.missed.append(f"{topic}: {row.title}")
    return reports


def print_headlines(reports: dict[Half, HalfReport], out: TextIO, verbose: bool = False) -> None:
    for which, r in reports.items():
        out.write(f"Headlines, {which} half: {r.total} titles alone, no language hint\n")
        out.write(f"  {'topic':<18} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn\n")
        for topic, c in sorted(r.topics.items()):
            if c.tp + c.fn:
                scores = f"{c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f}"
            else:  # no gold positive: recall and F1 mean nothing, precision is 0 or none
                scores = f"{'0.00' if c.fp else '–':>6} {'–':>6} {'–':>6}"
            out.write(f"  {topic:<18} {scores}  {c.tp:3} {c.fp:3} {c.fn:3}\n")
        rejected = ", ".join(f"{reason} {n}" for reason, n in r.rejected.most_common())
        out.write(
            f"  language: {r.kept}/{r.total} = {r.kept_share:.1%} kept as German"
            + (f"; rejected: {rejected}" if rejected else "")
            + f"  ({r.total / r.seconds if r.seconds else 0:.0f} headlines/s)\n"
        )
        if verbose:
            for line in r.wrong:
                out.write(f"  wrong:  {line}\n")
            for line in r.missed:
                out.write(f"  missed: {line}\n")
