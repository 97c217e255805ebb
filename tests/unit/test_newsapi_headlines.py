"""scripts/newsapi_headlines.py reads the formats of the public dumps; bench.judges skips the
section when the rebuilt file is absent. Every headline here is written by us."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bench import judges
from tests.conftest import load_script

NEWSAPI = """const data = {"status": "ok", "articles": [
  {"source": {"id": null, "name": "N-tv.de"}, "author": "n-tv NACHRICHTEN",
   "title": "Stadtwerke erhöhen die Preise - n-tv NACHRICHTEN",
   "description": "Die Kunden zahlen ab März mehr.", "url": "https://www.n-tv.de/a1.html",
   "publishedAt": "2023-02-01T10:00:00Z"},
  {"source": {"id": "spiegel-online", "name": "Spiegel Online"}, "author": null,
   "title": "Bahn streicht Verbindungen | Reise - DER SPIEGEL", "description": null,
   "url": "https://www.spiegel.de/a2", "publishedAt": "2024-05-01T08:00:00Z"},
  {"source": {"id": null, "name": "CNN"}, "author": "CNN", "title": "Storm hits coast - CNN",
   "description": "Winds of 100 mph.", "url": "https://edition.cnn.com/a3",
   "publishedAt": "2023-02-01T10:00:00Z"},
  {"source": {"id": null, "name": "tagesschau.de"}, "author": "tagesschau",
   "title": "Wahl in Hessen - tagesschau.de", "description": "Ein Überblick.",
   "url": "https://www.tagesschau.de/a4.html", "publishedAt": "2019-10-01T10:00:00Z"}
]};"""

POST = """---
layout: post
title: "🔥🔥 [Stadtrat] Stadtrat beschließt neue Parkgebühren für die ..."
date: Wed, 03 Apr 2024 13 00 00 +0200
categories: entries DE
---
[Stadtrat beschließt neue Parkgebühren für die ...](https://www.example-zeitung.de/a5)

![Stadtrat beschließt neue Parkgebühren für die ...](https://img.example-zeitung.de/5.jpg)

Die Gebühren steigen im Mai. Die Opposition kündigt Widerstand an ...

Der ganze Artikel folgt hier.
"""

JSX = """<a href='https://www.example-blatt.at/a6'>
            <div className={styles.card}>
                <h3>Neue Brücke &quot;für alle&quot; eröffnet</h3>
                <div style={{ display: "flex" }}>
                <p style={{marginLeft: "15px"}}>Nach drei Jahren Bauzeit&nbsp;...</p></div>
            </div>
        </a><a href='https://www.example.fr/a7'>
            <div className={styles.card}>
                <h3>Le pont est ouvert</h3>
                <p>Après trois ans&nbsp;...</p></div>
        </a>"""


@pytest.fixture(scope="module")
def script():
    return load_script("newsapi_headlines")


def test_newsapi_articles_of_german_outlets_in_the_years_without_the_outlet_suffix(
    script,
) -> None:
    rows = [
        (script.strip_outlet(title, outlet), teaser, outlet, date)
        for title, teaser, outlet, date, url in script.newsapi(NEWSAPI)
        if script.year_ok(date) and script.german_host(url, outlet)
    ]
    assert rows == [
        ("Stadtwerke erhöhen die Preise", "Die Kunden zahlen ab März mehr.", "N-tv.de", rows[0][3]),
        ("Bahn streicht Verbindungen", None, "Spiegel Online", rows[1][3]),
    ]


def test_a_dash_inside_a_headline_is_no_outlet(script) -> None:
    title = "Regierung beschließt Paket - Opposition spricht von Wortbruch und Wahlbetrug"
    assert script.strip_outlet(title, "Www.fr.de") == title


def test_a_trends_post_gives_its_title_cut_short_and_its_snippet(script) -> None:
    title, teaser, url, day = script.trends_md(POST)
    assert script.cut(title) == ("Stadtrat beschließt neue Parkgebühren für die", True)
    assert teaser.startswith("Die Gebühren steigen im Mai.")
    assert (url, day) == ("https://www.example-zeitung.de/a5", "2024-04-03")


def test_a_trends_page_gives_its_cards(script) -> None:
    cards = list(script.trends_jsx(JSX))
    assert len(cards) == 2
    title, teaser, url = cards[0]
    assert script.clean(title) == 'Neue Brücke "für alle" eröffnet'
    assert script.clean(teaser) == "Nach drei Jahren Bauzeit ..."
    assert script.german_host(url, "") and not script.german_host(cards[1][2], "")


def test_the_rebuild_reads_a_snapshot_and_writes_one_row_per_title(
    script,
    tmp_path: Path,
) -> None:
    repo = tmp_path / "mirrors" / "someone+dumps" / "repo"
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    (work / "data" / "news.js").write_text(NEWSAPI + "\n" + NEWSAPI, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(work)]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "dump"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(repo)], check=True)
    sources = tmp_path / "sources.json"
    sources.write_text(
        json.dumps(
            {
                "sources": [
                    {"repo": "someone/dumps", "commit": commit, "path": "data/news.js"},
                ]
            }
        ).replace('"path"', '"format": "newsapi", "path"'),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    script.main(
        ["--mirrors", str(tmp_path / "mirrors"), "--sources", str(sources), "--out", str(out)]
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["title"] for r in rows] == [
        "Stadtwerke erhöhen die Preise",
        "Bahn streicht Verbindungen",
    ]
    assert rows[0]["key"] == judges.title_key(rows[0]["title"])
    assert rows[0]["commit"] == commit and rows[0]["path"] == "data/news.js"


def test_the_judge_skips_when_the_file_is_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    judges.newsapi(None, False, tmp_path / "absent.jsonl")  # type: ignore[arg-type]
    assert "absent" in capsys.readouterr().out


def test_every_third_key_is_the_judge_s() -> None:
    keys = [judges.title_key(f"Schlagzeile Nummer {n}") for n in range(300)]
    share = sum(judges.newsapi_part(k) == "judge" for k in keys) / len(keys)
    assert 0.25 < share < 0.42
