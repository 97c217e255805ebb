"""`lagebild backfill SOURCE…`: load history onto news.raw.backfill."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from workers.backfill import KINDS, Kind, parse_since
from workers.settings import Settings

if TYPE_CHECKING:
    from workers.backfill.sources import Options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="JSONL/CSV archive, directory of saved HTML pages, text file of "
        "article URLs, feed URL/file, or sitemap (plain or Google News, or an index)",
    )
    parser.add_argument(
        "--format",
        choices=("auto", *KINDS),
        default="auto",
        help="kind of every SOURCE (default: guessed from each one)",
    )
    parser.add_argument(
        "--map",
        dest="mapping",
        metavar="FIELD=COLUMN,…",
        help="input columns for our fields (id,url,title,text,html,summary,"
        "published,source,authors,language), e.g. text=body",
    )
    parser.add_argument("--delimiter", help="CSV delimiter (default: , or TAB for .tsv)")
    parser.add_argument("--columns", help="CSV column names, for a file without a header")
    parser.add_argument(
        "--since",
        type=parse_since,
        metavar="DATE",
        help="skip entries published before DATE (ISO date or date-time)",
    )
    parser.add_argument("--publisher", help="publisher name for items that carry none")
    parser.add_argument("--language", default="de", help="language hint (default: de)")
    parser.add_argument("--rate", type=float, metavar="N", help="publish at most N items/s")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def options_from(args: argparse.Namespace) -> Options:
    from workers.backfill.sources import Options, parse_mapping

    return Options(
        mapping=parse_mapping(args.mapping),
        delimiter=args.delimiter.encode().decode("unicode_escape") if args.delimiter else None,
        columns=tuple(c.strip() for c in args.columns.split(",")) if args.columns else (),
        since=args.since,
        publisher=args.publisher,
        language=args.language,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rich.console import Console

    from workers.backfill.run import print_summary, run_backfill
    from workers.backfill.sources import guess_kind

    console = Console(stderr=True, highlight=False)
    local = [s for s in args.sources if not s.startswith(("http://", "https://"))]
    missing = [s for s in local if not Path(s).exists()]
    if missing:
        raise FileNotFoundError(2, "no such file", ", ".join(missing))
    try:
        options = options_from(args)
        sources: list[tuple[str, Kind]] = [
            (s, guess_kind(s) if args.format == "auto" else args.format) for s in args.sources
        ]
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    from workers.provision import ensure_topics

    asyncio.run(ensure_topics(settings))
    summary = asyncio.run(
        run_backfill(
            settings,
            sources,
            options,
            rate=args.rate,
            console=console,
            show_progress=not args.no_progress,
        )
    )
    print_summary(Console(highlight=False), summary)
    if summary.outage:
        return 75  # EX_TEMPFAIL: the broker was away; the same command resumes the run
    return 130 if summary.interrupted else 0
