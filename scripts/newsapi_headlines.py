"""Rebuild the real German headlines of other outlets (a judge for the topic rules) from public
repositories: `python scripts/newsapi_headlines.py [--mirrors DIR] [--out FILE] [FILE ...]`.

Headlines and teasers are their publishers' copyright: no text of them is in this repository.
bench/newsapi_sources.json records where they are (a public repository, a commit, a path or a
folder, and the format); this script reads them from fetched snapshots (``git`` directories
under ``--mirrors``, default /work/.mirror/<owner>+<name>/repo) or from files given on the
command line (a source with a ``sha256`` is matched by its content), and writes one JSON line
per headline to ``--out`` (default ~/.cache/lagebild/newsapi_headlines.jsonl), outside the
repository. bench/newsapi_labels.json keeps our labels, keyed by a hash of the title
(bench.judges.title_key), and ``python -m bench.judges --only newsapi`` reads the file.

Formats: ``newsapi`` (NewsAPI's JSON: source.name, title, description, publishedAt, in a
.json, .js or .ts file), ``trends_jsx`` (Google Trends pages rendered to JSX: <a href> <h3>
title <p> snippet, dated by the commit) and ``trends_md`` (Google Trends posts in Markdown:
[title](url) and the snippet, dated by the front matter; a translated post carries the
German one in its "Origin content"). Kept: German-language outlets (by the host of the url,
or the outlet's name) in Latin script, published 2022-2025, the " - outlet" suffix NewsAPI
adds stripped, a Google title cut short (" ...") marked ``truncated``; one row per title (the
first source wins, in the order of the sources file).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "bench" / "newsapi_sources.json"
MIRRORS = Path("/work/.mirror")
OUT = Path.home() / ".cache" / "lagebild" / "newsapi_headlines.jsonl"
YEARS = range(2022, 2026)
#: German-language hosts outside .de and .at
GERMAN_HOSTS = (
    "nzz.ch", "srf.ch", "blick.ch", "watson.ch", "tagesanzeiger.ch", "luzernerzeitung.ch",
    "aargauerzeitung.ch", "bazonline.ch", "bernerzeitung.ch", "tagblatt.ch", "suedostschweiz.ch",
    "nau.ch", "handelszeitung.ch", "cash.ch", "finews.ch", "inside-it.ch", "zentralplus.ch",
    "deutschlandfunk.de", "ntv.de", "t-online.de", "rnd.de",
)  # fmt: skip
#: NewsAPI's outlet names of German-language publishers (its url decides first)
GERMAN_NAMES = re.compile(
    r"\.de\b|\.at\b|spiegel|welt|zeit|tagesschau|n-tv|bild|focus|faz|frankfurter|süddeutsche|"
    r"handelsblatt|stern|sport1|kicker|heise|golem|chip|computerbase|b\.z\.|tagesspiegel|"
    r"deutsche welle|zdf|ard|mdr|ndr|wdr|br24|swr|hr-|rbb|merkur|tz\b|rtl|web\.de|gmx",
    re.IGNORECASE,
)
#: " - DER SPIEGEL", " | tagesschau.de - tagesschau.de": the outlet NewsAPI appends
SUFFIX = re.compile(
    r"(\s+[|-]\s+(?:[A-Za-z0-9][\w.&' -]{0,40}|[a-z][\w-]*\.(?:de|at|ch|com|net)[\w.-]*))+\s*$"
)


@dataclass(frozen=True)
class Headline:
    title: str
    teaser: str | None
    outlet: str
    date: str
    url: str | None
    truncated: bool
    repo: str
    commit: str
    path: str


def key(title: str) -> str:
    """bench.judges.title_key: the first 16 hex digits of the whitespace-normalised title's hash."""
    return hashlib.sha256(" ".join(title.split()).encode("utf-8")).hexdigest()[:16]


def git(repo_dir: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo_dir), *args], capture_output=True, check=True
    ).stdout
    return out.decode("utf-8", errors="replace")


def clean(text: str | None) -> str | None:
    if not text:
        return None
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " ")
    text = " ".join(text.split())
    return text or None


def cut(title: str) -> tuple[str, bool]:
    """A title without a Google '...' end, and whether it was cut there."""
    stripped = re.sub(r"\s*(\.\.\.|…)$", "", title)
    return stripped, stripped != title


def strip_outlet(title: str, outlet: str) -> str:
    """The title without the outlet NewsAPI appends (" - n-tv NACHRICHTEN", " - WELT")."""
    found = SUFFIX.search(title)
    if not found:
        return title
    tail = found.group(0)
    words = {w for w in re.split(r"[\s|.-]+", (outlet + " " + tail).casefold()) if len(w) > 1}
    # a suffix of one or two capitalised words, or one naming the outlet, is the outlet's
    parts = [p.strip() for p in re.split(r"\s+[|-]\s+", tail) if p.strip()]
    if all(len(p.split()) <= 4 for p in parts) and (
        any(w in outlet.casefold() for w in words) or all(len(p.split()) <= 2 for p in parts)
    ):
        return title[: found.start()].rstrip()
    return title


def latin(text: str) -> bool:
    """Whether most letters are Latin: a Russian-language service of a German host is not
    German."""
    letters = [c for c in text if c.isalpha()]
    return sum(c < "\u0250" for c in letters) * 2 >= len(letters)


def german_host(url: str | None, outlet: str) -> bool:
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        if host.endswith((".de", ".at")) or host.endswith(GERMAN_HOSTS):
            return True
        return host.endswith("dw.com") and "/de/" in (url or "")
    return bool(GERMAN_NAMES.search(outlet))


JSON_STRING = r'"(?:\\.|[^"\\])*"'
ARTICLE = re.compile(
    r'"source"\s*:\s*\{[^{}]*?"name"\s*:\s*(?P<name>' + JSON_STRING + r")[^{}]*\}"
    r"(?P<rest>.*?)(?=\"source\"\s*:\s*\{|\Z)",
    re.DOTALL,
)


def field(rest: str, name: str) -> str | None:
    found = re.search(rf'"{name}"\s*:\s*({JSON_STRING}|null)', rest)
    if not found or found.group(1) == "null":
        return None
    return json.loads(found.group(1))


def newsapi(text: str) -> Iterator[tuple[str, str | None, str, str, str | None]]:
    """(title, description, outlet, publishedAt, url) of every NewsAPI article in a file."""
    for found in ARTICLE.finditer(text):
        outlet = json.loads(found.group("name"))
        rest = found.group("rest")
        title = field(rest, "title")
        if title:
            date = field(rest, "publishedAt") or ""
            yield title, field(rest, "description"), outlet, date, field(rest, "url")


CARD = re.compile(
    r"<a href='(?P<url>[^']+)'>\s*<div[^>]*>\s*<h3>(?P<title>.*?)</h3>"
    r".*?<p[^>]*>(?P<teaser>.*?)</p>",
    re.DOTALL,
)


def trends_jsx(text: str) -> Iterator[tuple[str, str | None, str]]:
    for found in CARD.finditer(text):
        yield found.group("title"), found.group("teaser"), found.group("url")


POST_LINK = re.compile(r"^\[(?P<title>[^\]\n]+)\]\((?P<url>https?://[^)\s]+)\)\s*$", re.MULTILINE)


def trends_md(text: str) -> tuple[str, str | None, str, str] | None:
    """(title, snippet, url, date) of a Google Trends post; the German one of a translation."""
    if "<summary>Origin content</summary>" in text:
        text = text.split("<summary>Origin content</summary>", 1)[1]
    date = re.search(r"^date:\s*(.+)$", text, re.MULTILINE)
    link = POST_LINK.search(text)
    if not date or not link:
        return None
    after = text[link.end() :].strip().split("\n\n")
    paragraphs = [p.strip() for p in after if p.strip() and not p.strip().startswith("![")]
    teaser = paragraphs[0] if paragraphs else None
    if teaser and teaser.startswith((">", "<", "---")):
        teaser = None
    day = re.sub(r"\b(\d\d) (\d\d) (\d\d)\b", r"\1:\2:\3", date.group(1).strip())
    try:
        when = parsedate_to_datetime(day).date().isoformat()
    except (TypeError, ValueError):
        return None
    return link.group("title").strip(), teaser, link.group("url"), when


def year_ok(date: str) -> bool:
    return bool(re.match(r"\d{4}", date)) and int(date[:4]) in YEARS


def outlet_of(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def from_source(source: dict, mirrors: Path, files: dict[str, Path]) -> Iterator[Headline]:
    repo, fmt = source["repo"], source["format"]
    if "sha256" in source:
        path = files.get(source["sha256"])
        if path is None:
            print(f"  {repo}:{source['path']}: no file given with its content, skipped")
            return
        text = path.read_text(encoding="utf-8")
        blobs = [(source.get("commit", ""), source.get("date", ""), source["path"], text)]
    else:
        repo_dir = mirrors / repo.replace("/", "+") / "repo"
        if not repo_dir.is_dir():
            print(f"  {repo}: no snapshot at {repo_dir} (fetch it), skipped")
            return
        blobs = list(blobs_of(repo_dir, source))
    for commit, day, path, text in blobs:
        if fmt == "newsapi":
            for title, teaser, outlet, date, url in newsapi(text):
                if not year_ok(date) or not german_host(url, outlet):
                    continue
                title, truncated = cut(strip_outlet(clean(title) or "", outlet))
                yield Headline(
                    title, clean(teaser), outlet, date[:10], url, truncated, repo, commit, path
                )
        elif fmt == "trends_jsx":
            for title, teaser, url in trends_jsx(text):
                if not year_ok(day) or not german_host(url, ""):
                    continue
                title, truncated = cut(clean(title) or "")
                yield Headline(
                    title, clean(teaser), outlet_of(url), day, url, truncated, repo, commit, path
                )
        elif fmt == "trends_md":
            post = trends_md(text)
            if post is None:
                continue
            title, teaser, url, day = post
            if not year_ok(day) or not german_host(url, ""):
                continue
            title, truncated = cut(clean(title) or "")
            yield Headline(
                title, clean(teaser), outlet_of(url), day, url, truncated, repo, commit, path
            )


def blobs_of(repo_dir: Path, source: dict) -> Iterator[tuple[str, str, str, str]]:
    """(commit, its date, path, text) of the source's files: one path, a folder at a commit, or a
    folder over the history of `commits` (each file version once, at its first commit)."""
    commits = source.get("commits") or [source["commit"]]
    if source.get("history"):
        commits = git(repo_dir, "rev-list", "--reverse", *commits).split()
    seen: set[str] = set()
    for commit in commits:
        try:  # a snapshot may lack some old objects: those commits are skipped
            day = git(repo_dir, "show", "-s", "--format=%cs", commit).strip()
            where = ["--", source["path"]] if "path" in source else ["-r", "--", source["under"]]
            listing = git(repo_dir, "ls-tree", "-z", commit, *where)
        except subprocess.CalledProcessError:
            continue
        for line in filter(None, re.split(r"[\0\n]", listing)):
            meta, path = line.split("\t", 1)
            blob = meta.split()[2]
            if blob in seen or not path.endswith(tuple(source.get("ext", [""]))):
                continue
            seen.add(blob)
            yield commit, day, path, git(repo_dir, "cat-file", "blob", blob)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="files of sources with a sha256")
    parser.add_argument("--mirrors", type=Path, default=MIRRORS)
    parser.add_argument("--sources", type=Path, default=SOURCES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    files = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in args.files}
    sources = json.loads(args.sources.read_text(encoding="utf-8"))["sources"]
    seen: set[str] = set()
    rows: list[Headline] = []
    for source in sources:
        before = len(rows)
        for row in from_source(source, args.mirrors, files):
            folded = " ".join(row.title.casefold().split())
            if len(row.title.split()) < 2 or folded in seen or not latin(row.title):
                continue
            seen.add(folded)
            rows.append(row)
        print(f"  {source['repo']}: {len(rows) - before} headlines")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"key": key(row.title), **asdict(row)}, ensure_ascii=False))
            out.write("\n")
    print(f"{len(rows)} headlines -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Headline", "key", "main", "newsapi", "strip_outlet", "trends_jsx", "trends_md"]
